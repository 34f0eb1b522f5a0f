import "server-only";
import { ValidationError } from "@/lib/errors";
import {
  assignRoleSchema,
  createRoleSchema,
  createScopeSchema,
  updateRoleSchema,
  updateScopeSchema,
} from "@/lib/schemas/catalog";
import { tenantQuerySchema } from "@/lib/schemas/tenants";
import { getAgentDetail } from "../../agents/get-agent";
import type { ClientCaller } from "../../auth/caller";
import { assignRole, createRole, deleteRole, listRoles, removeRole, updateRole } from "../../catalog/roles";
import { createScope, deleteScope, listScopes, updateScope } from "../../catalog/scopes";
import { prisma } from "../../db";
import { tenantForQuery } from "../../tenants/resolve-tenant";
import { defineOperations } from "../operation";

// The catalog: scopes, roles (bundles of scopes) and the roles each agent holds.

/** An agent's roles as the API answers them: the roles, and the scopes they add up to. */
async function agentRoles(caller: ClientCaller, agentId: string) {
  const agent = await getAgentDetail(caller, agentId);
  return { data: agent.roles, effectiveScopes: agent.effectiveScopes };
}

/** The tenant the list's `tenant` query parameter names. */
async function queriedTenantId(caller: ClientCaller, query: Record<string, string>) {
  return (await tenantForQuery(await prisma(), caller, query.tenant)).id;
}

export const catalogOperations = defineOperations({
  listAgentRoles: {
    method: "GET",
    path: "/agents/{id}/roles",
    tag: "Role assignments",
    summary: "An agent's roles and the scopes they give it",
    run: ({ caller, params }) => agentRoles(caller, params.id),
  },
  assignAgentRole: {
    method: "POST",
    path: "/agents/{id}/roles",
    tag: "Role assignments",
    summary: "Give an agent a role",
    body: assignRoleSchema,
    status: 201,
    run: async ({ caller, params, body }) => {
      const { role } = assignRoleSchema.safeParse(body).data ?? { role: "" };
      if (!role) throw new ValidationError({ role: ["Not a role id."] });
      await assignRole(caller, params.id, role);
      return agentRoles(caller, params.id);
    },
  },
  removeAgentRole: {
    method: "DELETE",
    path: "/agents/{id}/roles/{roleId}",
    tag: "Role assignments",
    summary: "Take a role from an agent",
    status: 204,
    run: ({ caller, params }) => removeRole(caller, params.id, params.roleId),
  },
  listScopes: {
    method: "GET",
    path: "/scopes",
    tag: "Scopes",
    summary: "Scopes usable in a tenant: global ones and the tenant's own",
    query: tenantQuerySchema,
    run: async ({ caller, query }) => ({ data: await listScopes(caller, await queriedTenantId(caller, query)) }),
  },
  createScope: {
    method: "POST",
    path: "/scopes",
    tag: "Scopes",
    summary: "Create a scope (tenant null: global, security admins only)",
    body: createScopeSchema,
    status: 201,
    run: ({ caller, body }) => createScope(caller, body),
  },
  updateScope: {
    method: "PATCH",
    path: "/scopes/{id}",
    tag: "Scopes",
    summary: "Change a scope's description or risk",
    body: updateScopeSchema,
    run: ({ caller, params, body }) => updateScope(caller, params.id, body),
  },
  deleteScope: {
    method: "DELETE",
    path: "/scopes/{id}",
    tag: "Scopes",
    summary: "Delete a scope no role uses",
    status: 204,
    run: ({ caller, params }) => deleteScope(caller, params.id),
  },
  listRoles: {
    method: "GET",
    path: "/roles",
    tag: "Roles",
    summary: "Roles usable in a tenant: global ones and the tenant's own",
    query: tenantQuerySchema,
    run: async ({ caller, query }) => ({ data: await listRoles(caller, await queriedTenantId(caller, query)) }),
  },
  createRole: {
    method: "POST",
    path: "/roles",
    tag: "Roles",
    summary: "Create a role from scopes (tenant null: global, security admins only)",
    body: createRoleSchema,
    status: 201,
    run: ({ caller, body }) => createRole(caller, body),
  },
  updateRole: {
    method: "PATCH",
    path: "/roles/{id}",
    tag: "Roles",
    summary: "Rename a role or change its scopes",
    body: updateRoleSchema,
    run: ({ caller, params, body }) => updateRole(caller, params.id, body),
  },
  deleteRole: {
    method: "DELETE",
    path: "/roles/{id}",
    tag: "Roles",
    summary: "Delete a role (its assignments go with it)",
    status: 204,
    run: ({ caller, params }) => deleteRole(caller, params.id),
  },
});
