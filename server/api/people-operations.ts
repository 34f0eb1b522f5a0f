import "server-only";
import { z } from "zod";
import { reasonSchema } from "@/lib/schemas/agents";
import { createTenantSchema, tenantListSchema, updateTenantSchema } from "@/lib/schemas/tenants";
import {
  addMemberSchema,
  changeMemberRoleSchema,
  deactivateUserSchema,
  invitationListSchema,
  memberListSchema,
  newPersonSchema,
  reactivateUserSchema,
  removeMemberSchema,
  userListSchema,
} from "@/lib/schemas/users";
import type { ClientCaller } from "../auth/caller";
import { prisma } from "../db";
import type { KeysetPage } from "../db/keyset";
import { listTenantMembers } from "../tenants/list-members";
import { createTenantAs, getTenant, listTenants, tenantByRef, updateTenant } from "../tenants/manage-tenants";
import { addTenantMember, changeMemberRole, removeTenantMember } from "../tenants/members";
import { addPerson } from "../users/add-person";
import { deactivateUser, describeOffboarding, offboardingImpact, reactivateUser } from "../users/deactivate-user";
import {
  getInvitation,
  type IssuedInvitation,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from "../users/invitations";
import { getPerson, listPeople } from "../users/people";
import { type Operation, operation } from "./operation";

// The admin API's tenants, members, people and invitations (DESIGN.md's public contracts), on the
// same domain functions, permission map and audit as the console.

/** A keyset page as the API answers it. */
function cursorPage<T>(page: KeysetPage<T>) {
  return {
    data: page.rows,
    total: page.total,
    totalCapped: page.totalCapped,
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
  };
}

/** A freshly issued invitation link as the API answers it (the only time the link is shown). */
function issuedLink(issued: IssuedInvitation) {
  return { invitation: issued.invitation, invitationUrl: issued.url, emailDelivery: issued.emailDelivery };
}

async function tenantIdOf(caller: ClientCaller, ref: string) {
  return (await tenantByRef(await prisma(), caller, ref)).id;
}

const optionalReason = z.object({ reason: reasonSchema.optional() });

export const peopleOperations = {
  listTenants: operation({
    id: "listTenants",
    method: "GET",
    path: "/tenants",
    tag: "Tenants",
    summary: "Tenants you can read, by name, with their agents, members and live grants counted",
    query: tenantListSchema,
    run: async ({ caller, query }) => {
      const { rows, total, page, pageSize } = await listTenants(caller, query);
      return { data: rows, total, page, pageSize };
    },
  }),
  createTenant: operation({
    id: "createTenant",
    method: "POST",
    path: "/tenants",
    tag: "Tenants",
    summary: "Create a tenant (security admins); the slug is validated and unique (409 when taken)",
    body: createTenantSchema,
    status: 201,
    run: ({ caller, body }) => createTenantAs(caller, body),
  }),
  getTenant: operation({
    id: "getTenant",
    method: "GET",
    path: "/tenants/{tenant}",
    tag: "Tenants",
    summary: "A tenant by slug or id, with its counts",
    run: ({ caller, params }) => getTenant(caller, params.tenant),
  }),
  updateTenant: operation({
    id: "updateTenant",
    method: "PATCH",
    path: "/tenants/{tenant}",
    tag: "Tenants",
    summary: "Rename a tenant or change its slug (security admins)",
    body: updateTenantSchema,
    run: ({ caller, params, body }) => updateTenant(caller, params.tenant, body),
  }),
  listMembers: operation({
    id: "listMembers",
    method: "GET",
    path: "/tenants/{tenant}/members",
    tag: "Members",
    summary: "A tenant's members, by name, with a role filter and a search on name or email",
    query: memberListSchema,
    run: async ({ caller, params, query }) => {
      const { rows, total, page, pageSize } = await listTenantMembers(
        caller,
        await tenantIdOf(caller, params.tenant),
        query,
      );
      return { data: rows, total, page, pageSize };
    },
  }),
  addMember: operation({
    id: "addMember",
    method: "POST",
    path: "/tenants/{tenant}/members",
    tag: "Members",
    summary: "Add an existing person (id or email) to the tenant with a role: owner, auditor or member",
    body: addMemberSchema,
    status: 201,
    run: async ({ caller, params, body }) => addTenantMember(caller, await tenantIdOf(caller, params.tenant), body),
  }),
  changeMemberRole: operation({
    id: "changeMemberRole",
    method: "PATCH",
    path: "/tenants/{tenant}/members/{user}",
    tag: "Members",
    summary: "Change a member's role; demoting the tenant's last owner is refused (409)",
    body: changeMemberRoleSchema,
    run: async ({ caller, params, body }) =>
      changeMemberRole(caller, await tenantIdOf(caller, params.tenant), params.user, body),
  }),
  removeMember: operation({
    id: "removeMember",
    method: "DELETE",
    path: "/tenants/{tenant}/members/{user}",
    tag: "Members",
    summary:
      "Remove a member: their grants in the tenant are revoked; agents they own there go to transfer_agents_to; the last owner stays (409)",
    body: removeMemberSchema,
    run: async ({ caller, params, body }) =>
      removeTenantMember(caller, await tenantIdOf(caller, params.tenant), params.user, body),
  }),
  listUsers: operation({
    id: "listUsers",
    method: "GET",
    path: "/users",
    tag: "People",
    summary: "People you can see, by name, paged by cursor; search by name or email",
    description: "Pass next_cursor (or prev_cursor) back as `cursor`. `total` is exact up to 10,000.",
    query: userListSchema,
    run: async ({ caller, query }) => cursorPage(await listPeople(caller, query)),
  }),
  createUser: operation({
    id: "createUser",
    method: "POST",
    path: "/users",
    tag: "People",
    summary:
      "Invite a person with a tenant and a role, or a global role; or (security-admin clients) create them with a password",
    description:
      "Without `password`: an invitation, answered with its single-use `url` (shown once) and whether it was emailed. With `password` (security-admin automation clients only): the person, created at once; the password is never returned.",
    body: newPersonSchema,
    status: 201,
    run: async ({ caller, body }) => {
      const added = await addPerson(caller, body);
      return added.kind === "user" ? added.user : issuedLink(added);
    },
  }),
  getUser: operation({
    id: "getUser",
    method: "GET",
    path: "/users/{id}",
    tag: "People",
    summary: "A person (by id or email) with their memberships and the agents they own or back up",
    run: ({ caller, params }) => getPerson(caller, params.id),
  }),
  offboardingImpact: operation({
    id: "offboardingImpact",
    method: "GET",
    path: "/users/{id}/offboarding",
    tag: "People",
    summary: "What deactivating this person would revoke and orphan, counted now, without changing anything",
    run: async ({ caller, params }) => {
      const impact = await offboardingImpact(caller, params.id);
      return { ...impact, summary: describeOffboarding(impact) };
    },
  }),
  deactivateUser: operation({
    id: "deactivateUser",
    method: "POST",
    path: "/users/{id}/deactivate",
    tag: "People",
    summary:
      "Offboard a person: no more sign-in, sessions end, every grant they gave is revoked with its tokens, their agents are orphaned or handed to transfer_agents_to",
    body: deactivateUserSchema,
    run: async ({ caller, params, body }) => {
      const result = await deactivateUser(caller, params.id, body);
      return {
        ...(await getPerson(caller, result.user.id)),
        revoked: { grants: result.grants, tokens: result.tokens, sessions: result.sessions },
      };
    },
  }),
  reactivateUser: operation({
    id: "reactivateUser",
    method: "POST",
    path: "/users/{id}/reactivate",
    tag: "People",
    summary: "Let a deactivated person sign in again (what was revoked stays revoked)",
    body: reactivateUserSchema,
    run: async ({ caller, params, body }) => getPerson(caller, (await reactivateUser(caller, params.id, body)).id),
  }),
  listInvitations: operation({
    id: "listInvitations",
    method: "GET",
    path: "/invitations",
    tag: "Invitations",
    summary: "Invitations in the tenants where you manage members (pending ones unless status is given), newest first",
    query: invitationListSchema,
    run: async ({ caller, query }) => cursorPage(await listInvitations(caller, query)),
  }),
  getInvitation: operation({
    id: "getInvitation",
    method: "GET",
    path: "/invitations/{id}",
    tag: "Invitations",
    summary: "One invitation (never its link)",
    run: ({ caller, params }) => getInvitation(caller, params.id),
  }),
  revokeInvitation: operation({
    id: "revokeInvitation",
    method: "DELETE",
    path: "/invitations/{id}",
    tag: "Invitations",
    summary: "Revoke an invitation: its link stops working",
    body: optionalReason,
    run: ({ caller, params, body }) => revokeInvitation(caller, params.id, body),
  }),
  resendInvitation: operation({
    id: "resendInvitation",
    method: "POST",
    path: "/invitations/{id}/resend",
    tag: "Invitations",
    summary:
      "Issue the invitation again: a new link (the old one stops working) and a new expiry, emailed when SMTP is set",
    run: async ({ caller, params }) => issuedLink(await resendInvitation(caller, params.id)),
  }),
} satisfies Record<string, Operation>;
