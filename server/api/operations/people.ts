import "server-only";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { deactivateUserSchema, invitationListSchema, newPersonSchema, userListSchema } from "@/lib/schemas/users";
import { addPerson } from "../../users/add-person";
import { deactivateUser, describeOffboarding, offboardingImpact, reactivateUser } from "../../users/deactivate-user";
import {
  getInvitation,
  type IssuedInvitation,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from "../../users/invitations";
import { getPerson, listPeople } from "../../users/people";
import { defineOperations } from "../operation";
import { cursorPage } from "../pages";

// People and their invitations (DESIGN.md's public contracts), on the same domain functions,
// permission map and audit as the console.

/** A freshly issued invitation link as the API answers it (the only time the link is shown). */
function issuedLink(issued: IssuedInvitation) {
  return { invitation: issued.invitation, invitationUrl: issued.url, emailDelivery: issued.emailDelivery };
}

export const peopleOperations = defineOperations({
  listUsers: {
    method: "GET",
    path: "/users",
    tag: "People",
    summary: "People you can see, by name, paged by cursor; search by name or email",
    description: "Pass next_cursor (or prev_cursor) back as `cursor`. `total` is exact up to 10,000.",
    query: userListSchema,
    run: async ({ caller, query }) => cursorPage(await listPeople(caller, query)),
  },
  createUser: {
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
  },
  getUser: {
    method: "GET",
    path: "/users/{id}",
    tag: "People",
    summary: "A person (by id or email) with their memberships and the agents they own or back up",
    run: ({ caller, params }) => getPerson(caller, params.id),
  },
  offboardingImpact: {
    method: "GET",
    path: "/users/{id}/offboarding",
    tag: "People",
    summary: "What deactivating this person would revoke and orphan, counted now, without changing anything",
    run: async ({ caller, params }) => {
      const impact = await offboardingImpact(caller, params.id);
      return { ...impact, summary: describeOffboarding(impact) };
    },
  },
  deactivateUser: {
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
  },
  reactivateUser: {
    method: "POST",
    path: "/users/{id}/reactivate",
    tag: "People",
    summary: "Let a deactivated person sign in again (what was revoked stays revoked)",
    body: reasonBodySchema,
    run: async ({ caller, params, body }) => getPerson(caller, (await reactivateUser(caller, params.id, body)).id),
  },
  listInvitations: {
    method: "GET",
    path: "/invitations",
    tag: "Invitations",
    summary: "Invitations in the tenants where you manage members (pending ones unless status is given), newest first",
    query: invitationListSchema,
    run: async ({ caller, query }) => cursorPage(await listInvitations(caller, query)),
  },
  getInvitation: {
    method: "GET",
    path: "/invitations/{id}",
    tag: "Invitations",
    summary: "One invitation (never its link)",
    run: ({ caller, params }) => getInvitation(caller, params.id),
  },
  revokeInvitation: {
    method: "DELETE",
    path: "/invitations/{id}",
    tag: "Invitations",
    summary: "Revoke an invitation: its link stops working",
    body: reasonBodySchema.partial(),
    run: ({ caller, params, body }) => revokeInvitation(caller, params.id, body),
  },
  resendInvitation: {
    method: "POST",
    path: "/invitations/{id}/resend",
    tag: "Invitations",
    summary:
      "Issue the invitation again: a new link (the old one stops working) and a new expiry, emailed when SMTP is set",
    run: async ({ caller, params }) => issuedLink(await resendInvitation(caller, params.id)),
  },
});
