import "server-only";
import { createTenantSchema, tenantListSchema, updateTenantSchema } from "@/lib/schemas/tenants";
import { addMemberSchema, changeMemberRoleSchema, memberListSchema, removeMemberSchema } from "@/lib/schemas/users";
import type { ClientCaller } from "../../auth/caller";
import { prisma } from "../../db";
import { listTenantMembers } from "../../tenants/list-members";
import { createTenantAs, getTenant, listTenants, tenantByRef, updateTenant } from "../../tenants/manage-tenants";
import { addTenantMember, changeMemberRole, removeTenantMember } from "../../tenants/members";
import { defineOperations } from "../operation";
import { offsetPage } from "../pages";

// Tenants and their members, on the same domain functions, permission map and audit as the console.

export async function tenantIdOf(caller: ClientCaller, ref: string) {
  return (await tenantByRef(await prisma(), caller, ref)).id;
}

export const tenantOperations = defineOperations({
  listTenants: {
    method: "GET",
    path: "/tenants",
    tag: "Tenants",
    summary: "Tenants you can read, by name, with their agents, members and live grants counted",
    query: tenantListSchema,
    run: async ({ caller, query }) => offsetPage(await listTenants(caller, query)),
  },
  createTenant: {
    method: "POST",
    path: "/tenants",
    tag: "Tenants",
    summary: "Create a tenant (security admins); the slug is validated and unique (409 when taken)",
    body: createTenantSchema,
    status: 201,
    run: ({ caller, body }) => createTenantAs(caller, body),
  },
  getTenant: {
    method: "GET",
    path: "/tenants/{tenant}",
    tag: "Tenants",
    summary: "A tenant by slug or id, with its counts, max_delegation_depth and dpop_required",
    run: ({ caller, params }) => getTenant(caller, params.tenant),
  },
  updateTenant: {
    method: "PATCH",
    path: "/tenants/{tenant}",
    tag: "Tenants",
    summary:
      "Rename a tenant or change its slug (security admins); change max_delegation_depth, how many token exchanges deep a chain may go (1 to 10), or dpop_required, whether every agent's tokens must be DPoP-bound (RFC 9449) (those who may change its settings)",
    body: updateTenantSchema,
    run: ({ caller, params, body }) => updateTenant(caller, params.tenant, body),
  },
  listMembers: {
    method: "GET",
    path: "/tenants/{tenant}/members",
    tag: "Members",
    summary: "A tenant's members, by name, with a role filter and a search on name or email",
    query: memberListSchema,
    run: async ({ caller, params, query }) =>
      offsetPage(await listTenantMembers(caller, await tenantIdOf(caller, params.tenant), query)),
  },
  addMember: {
    method: "POST",
    path: "/tenants/{tenant}/members",
    tag: "Members",
    summary: "Add an existing person (id or email) to the tenant with a role: owner, auditor or member",
    body: addMemberSchema,
    status: 201,
    run: async ({ caller, params, body }) => addTenantMember(caller, await tenantIdOf(caller, params.tenant), body),
  },
  changeMemberRole: {
    method: "PATCH",
    path: "/tenants/{tenant}/members/{user}",
    tag: "Members",
    summary: "Change a member's role; demoting the tenant's last owner is refused (409)",
    body: changeMemberRoleSchema,
    run: async ({ caller, params, body }) =>
      changeMemberRole(caller, await tenantIdOf(caller, params.tenant), params.user, body),
  },
  removeMember: {
    method: "DELETE",
    path: "/tenants/{tenant}/members/{user}",
    tag: "Members",
    summary:
      "Remove a member: their grants in the tenant are revoked; agents they own there go to transfer_agents_to; the last owner stays (409)",
    body: removeMemberSchema,
    run: async ({ caller, params, body }) =>
      removeTenantMember(caller, await tenantIdOf(caller, params.tenant), params.user, body),
  },
});
