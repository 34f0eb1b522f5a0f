import "server-only";
import { z } from "zod";
import { InvalidTokenError, ValidationError } from "@/lib/errors";
import {
  agentListSchema,
  createAgentSchema,
  createCredentialSchema,
  reasonSchema,
  updateAgentSchema,
} from "@/lib/schemas/agents";
import { auditExportSchema, auditListSchema } from "@/lib/schemas/audit";
import { createRoleSchema, createScopeSchema, updateRoleSchema, updateScopeSchema } from "@/lib/schemas/catalog";
import { decisionRequestSchema } from "@/lib/schemas/decisions";
import { bulkRevokeSchema, grantListSchema, revocationTargetSchema } from "@/lib/schemas/grants";
import {
  approvalListSchema,
  createPolicySchema,
  decideApprovalSchema,
  rollbackPolicySchema,
  simulateSchema,
  updatePolicySchema,
} from "@/lib/schemas/policies";
import { revokeTokenSchema, tokenListSchema } from "@/lib/schemas/tokens";
import { assertAgentInTenant } from "../agents/agent-access";
import { createAgent } from "../agents/create-agent";
import { createCredential, revokeCredential } from "../agents/credentials";
import { getAgentDetail } from "../agents/get-agent";
import { listAgents } from "../agents/list-agents";
import { renewReview } from "../agents/renew-review";
import { transitionAgent } from "../agents/transition-agent";
import { updateAgent } from "../agents/update-agent";
import {
  acknowledgeAnomaly,
  anomalyListSchema,
  containAnomaly,
  dismissAnomaly,
  listAnomalies,
} from "../anomalies/anomalies";
import { getAuditEvent, listAuditEvents, verifyAuditLog } from "../audit-log/events";
import { exportAuditEvents, exportResponse } from "../audit-log/export";
import { assignRole, createRole, deleteRole, listRoles, removeRole, updateRole } from "../catalog/roles";
import { createScope, deleteScope, listScopes, updateScope } from "../catalog/scopes";
import { prisma } from "../db";
import { getGrant, listGrants } from "../grants/list-grants";
import {
  killAgent,
  previewRevocation,
  restoreTenantConsent,
  revokeGrant,
  revokeGrants,
  revokeUserGrants,
  withdrawTenantConsent,
} from "../grants/revoke";
import { getToken, listTokens, revokeToken } from "../oauth/tokens";
import { decideApproval, getApproval, getApprovalForAgent, listApprovals } from "../policies/approvals";
import { decide } from "../policies/decide";
import { createPolicy, getPolicy, listPolicies, rollbackPolicy, updatePolicy } from "../policies/policies";
import { simulateDecision } from "../policies/simulate";
import { tenantForQuery } from "../tenants/resolve-tenant";
import { apiCaller } from "./authenticate";
import { type Operation, operation } from "./operation";
import { peopleOperations } from "./people-operations";

// Every admin API operation, in one table: route files export handle(op) for these, and
// /api/v1/openapi.json is built from the same entries and the same zod schemas.

const tenantQuery = z.object({ tenant: z.string().min(1).describe("A tenant's slug or id.") });
const reasonBody = z.object({ reason: reasonSchema });
const roleBody = z.object({ role: z.uuid("Not a role id.") });

function transition(name: "activate" | "suspend" | "resume" | "retire"): Operation {
  return operation({
    id: `${name}Agent`,
    method: "POST",
    path: `/agents/{id}/${name}`,
    tag: "Agents",
    summary: `${name[0].toUpperCase()}${name.slice(1)} an agent`,
    body: reasonBody,
    run: ({ caller, params, body }) =>
      transitionAgent(caller, params.id, { ...(body as object), transition: name }).then(() =>
        getAgentDetail(caller, params.id),
      ),
  });
}

export const operations = {
  ...peopleOperations,
  listAgents: operation({
    id: "listAgents",
    method: "GET",
    path: "/agents",
    tag: "Agents",
    summary: "List a tenant's agents, with the console's filters, sort and pages",
    query: agentListSchema.extend(tenantQuery.shape),
    run: async ({ caller, query }) => {
      const tenant = await tenantForQuery(await prisma(), caller, query.tenant);
      const { rows, total, page, pageSize } = await listAgents(caller, tenant.id, query);
      return { data: rows, total, page, pageSize };
    },
  }),
  createAgent: operation({
    id: "createAgent",
    method: "POST",
    path: "/agents",
    tag: "Agents",
    summary: "Register an agent (it starts pending)",
    body: createAgentSchema,
    status: 201,
    run: async ({ caller, body }) => {
      const agent = await createAgent(caller, body as never);
      return getAgentDetail(caller, agent.id);
    },
  }),
  getAgent: operation({
    id: "getAgent",
    method: "GET",
    path: "/agents/{id}",
    tag: "Agents",
    summary: "An agent with its owners, history, credentials, roles and effective scopes",
    run: ({ caller, params }) => getAgentDetail(caller, params.id),
  }),
  updateAgent: operation({
    id: "updateAgent",
    method: "PATCH",
    path: "/agents/{id}",
    tag: "Agents",
    summary: "Change an agent's name, description, owners, environment, attributes, redirect URIs or token lifetime",
    body: updateAgentSchema,
    run: async ({ caller, params, body }) => {
      await updateAgent(caller, params.id, body as never);
      return getAgentDetail(caller, params.id);
    },
  }),
  activateAgent: transition("activate"),
  suspendAgent: transition("suspend"),
  resumeAgent: transition("resume"),
  retireAgent: transition("retire"),
  renewAgent: operation({
    id: "renewAgent",
    method: "POST",
    path: "/agents/{id}/renew",
    tag: "Agents",
    summary: "Confirm an agent is still needed: its review date moves a full period ahead",
    body: reasonBody.partial(),
    run: async ({ caller, params, body }) => {
      await renewReview(caller, params.id, body as { reason?: string });
      return getAgentDetail(caller, params.id);
    },
  }),
  listCredentials: operation({
    id: "listCredentials",
    method: "GET",
    path: "/agents/{id}/credentials",
    tag: "Credentials",
    summary: "An agent's credentials (never a secret: only its first characters)",
    run: async ({ caller, params }) => ({ data: (await getAgentDetail(caller, params.id)).credentials }),
  }),
  createCredential: operation({
    id: "createCredential",
    method: "POST",
    path: "/agents/{id}/credentials",
    tag: "Credentials",
    summary: "Add a client secret (returned in this answer only) or a public key",
    body: createCredentialSchema,
    status: 201,
    run: async ({ caller, params, body }) => {
      const { credential, secret } = await createCredential(caller, params.id, body);
      return {
        id: credential.id,
        type: credential.type.toLowerCase(),
        label: credential.label,
        secretPrefix: credential.secretPrefix,
        expiresAt: credential.expiresAt,
        createdAt: credential.createdAt,
        ...(secret ? { clientSecret: secret } : {}),
      };
    },
  }),
  revokeCredential: operation({
    id: "revokeCredential",
    method: "DELETE",
    path: "/agents/{id}/credentials/{credentialId}",
    tag: "Credentials",
    summary: "Revoke a credential",
    body: reasonBody,
    status: 204,
    run: ({ caller, params, body }) => revokeCredential(caller, params.id, params.credentialId, body as object),
  }),
  listAgentRoles: operation({
    id: "listAgentRoles",
    method: "GET",
    path: "/agents/{id}/roles",
    tag: "Role assignments",
    summary: "An agent's roles and the scopes they give it",
    run: async ({ caller, params }) => {
      const agent = await getAgentDetail(caller, params.id);
      return { data: agent.roles, effectiveScopes: agent.effectiveScopes };
    },
  }),
  assignAgentRole: operation({
    id: "assignAgentRole",
    method: "POST",
    path: "/agents/{id}/roles",
    tag: "Role assignments",
    summary: "Give an agent a role",
    body: roleBody,
    status: 201,
    run: async ({ caller, params, body }) => {
      const { role } = roleBody.safeParse(body).data ?? { role: "" };
      if (!role) throw new ValidationError({ role: ["Not a role id."] });
      await assignRole(caller, params.id, role);
      const agent = await getAgentDetail(caller, params.id);
      return { data: agent.roles, effectiveScopes: agent.effectiveScopes };
    },
  }),
  removeAgentRole: operation({
    id: "removeAgentRole",
    method: "DELETE",
    path: "/agents/{id}/roles/{roleId}",
    tag: "Role assignments",
    summary: "Take a role from an agent",
    status: 204,
    run: ({ caller, params }) => removeRole(caller, params.id, params.roleId),
  }),
  listScopes: operation({
    id: "listScopes",
    method: "GET",
    path: "/scopes",
    tag: "Scopes",
    summary: "Scopes usable in a tenant: global ones and the tenant's own",
    query: tenantQuery,
    run: async ({ caller, query }) => ({
      data: await listScopes(caller, (await tenantForQuery(await prisma(), caller, query.tenant)).id),
    }),
  }),
  createScope: operation({
    id: "createScope",
    method: "POST",
    path: "/scopes",
    tag: "Scopes",
    summary: "Create a scope (tenant null: global, security admins only)",
    body: createScopeSchema,
    status: 201,
    run: ({ caller, body }) => createScope(caller, body),
  }),
  updateScope: operation({
    id: "updateScope",
    method: "PATCH",
    path: "/scopes/{id}",
    tag: "Scopes",
    summary: "Change a scope's description or risk",
    body: updateScopeSchema,
    run: ({ caller, params, body }) => updateScope(caller, params.id, body),
  }),
  deleteScope: operation({
    id: "deleteScope",
    method: "DELETE",
    path: "/scopes/{id}",
    tag: "Scopes",
    summary: "Delete a scope no role uses",
    status: 204,
    run: ({ caller, params }) => deleteScope(caller, params.id),
  }),
  listRoles: operation({
    id: "listRoles",
    method: "GET",
    path: "/roles",
    tag: "Roles",
    summary: "Roles usable in a tenant: global ones and the tenant's own",
    query: tenantQuery,
    run: async ({ caller, query }) => ({
      data: await listRoles(caller, (await tenantForQuery(await prisma(), caller, query.tenant)).id),
    }),
  }),
  createRole: operation({
    id: "createRole",
    method: "POST",
    path: "/roles",
    tag: "Roles",
    summary: "Create a role from scopes (tenant null: global, security admins only)",
    body: createRoleSchema,
    status: 201,
    run: ({ caller, body }) => createRole(caller, body),
  }),
  updateRole: operation({
    id: "updateRole",
    method: "PATCH",
    path: "/roles/{id}",
    tag: "Roles",
    summary: "Rename a role or change its scopes",
    body: updateRoleSchema,
    run: ({ caller, params, body }) => updateRole(caller, params.id, body),
  }),
  deleteRole: operation({
    id: "deleteRole",
    method: "DELETE",
    path: "/roles/{id}",
    tag: "Roles",
    summary: "Delete a role (its assignments go with it)",
    status: 204,
    run: ({ caller, params }) => deleteRole(caller, params.id),
  }),
  listTokens: operation({
    id: "listTokens",
    method: "GET",
    path: "/tokens",
    tag: "Tokens",
    summary: "Tokens in the tenants you can read (live ones unless status=all); never their values",
    query: tokenListSchema,
    run: async ({ caller, query }) => {
      const { rows, total, page, pageSize } = await listTokens(caller, query);
      return { data: rows, total, page, pageSize };
    },
  }),
  getToken: operation({
    id: "getToken",
    method: "GET",
    path: "/tokens/{id}",
    tag: "Tokens",
    summary: "One token's metadata",
    run: ({ caller, params }) => getToken(caller, params.id),
  }),
  revokeToken: operation({
    id: "revokeToken",
    method: "DELETE",
    path: "/tokens/{id}",
    tag: "Tokens",
    summary: "Revoke a token: the next introspection or API call with it fails",
    body: revokeTokenSchema,
    run: ({ caller, params, body }) => revokeToken(caller, params.id, body),
  }),
  decide: operation({
    id: "decide",
    method: "POST",
    path: "/decisions",
    tag: "Decisions",
    summary: "May this agent do this now? Called by the agent with its own access token",
    description:
      "Answers allow, deny or needs_approval with a reason, the deciding policies and a decision id. Deny by default: an inactive token, an inactive agent, an action outside the token's scopes, a forbidding policy or no permitting policy all deny. Every answer is recorded.",
    body: decisionRequestSchema,
    auth: "self",
    runSelf: ({ bearer, body, meta }) => decide(bearer, body, meta),
  }),
  listApprovals: operation({
    id: "listApprovals",
    method: "GET",
    path: "/approvals",
    tag: "Approvals",
    summary: "Approval requests in the tenants you can read",
    query: approvalListSchema,
    run: async ({ caller, query }) => ({ data: await listApprovals(caller, query) }),
  }),
  getApproval: operation({
    id: "getApproval",
    method: "GET",
    path: "/approvals/{id}",
    tag: "Approvals",
    summary: "One approval request; the agent that asked polls it with its own token",
    auth: "self",
    runSelf: async ({ bearer, params }) => {
      if (!bearer) throw new InvalidTokenError();
      const asAgent = await getApprovalForAgent(bearer, params.id);
      if (asAgent) return asAgent;
      return getApproval(await apiCaller(bearer), params.id);
    },
  }),
  approveApproval: operation({
    id: "approveApproval",
    method: "POST",
    path: "/approvals/{id}/approve",
    tag: "Approvals",
    summary: "Approve: the same request is allowed once, within 15 minutes",
    body: decideApprovalSchema,
    run: ({ caller, params, body }) => decideApproval(caller, params.id, true, body),
  }),
  denyApproval: operation({
    id: "denyApproval",
    method: "POST",
    path: "/approvals/{id}/deny",
    tag: "Approvals",
    summary: "Deny an approval request",
    body: decideApprovalSchema,
    run: ({ caller, params, body }) => decideApproval(caller, params.id, false, body),
  }),
  listPolicies: operation({
    id: "listPolicies",
    method: "GET",
    path: "/policies",
    tag: "Policies",
    summary: "Policies: global ones and those of the tenants you can read",
    query: z.object({ tenant: z.string().optional().describe("A tenant's slug or id.") }),
    run: async ({ caller, query }) => ({ data: await listPolicies(caller, query) }),
  }),
  createPolicy: operation({
    id: "createPolicy",
    method: "POST",
    path: "/policies",
    tag: "Policies",
    summary: "Create a policy (one Cedar statement); invalid Cedar is refused naming the line",
    body: createPolicySchema,
    status: 201,
    run: ({ caller, body }) => createPolicy(caller, body),
  }),
  getPolicy: operation({
    id: "getPolicy",
    method: "GET",
    path: "/policies/{id}",
    tag: "Policies",
    summary: "A policy with every version",
    run: ({ caller, params }) => getPolicy(caller, params.id),
  }),
  updatePolicy: operation({
    id: "updatePolicy",
    method: "PATCH",
    path: "/policies/{id}",
    tag: "Policies",
    summary: "Change a policy: a new version (text, name, description, enabled)",
    body: updatePolicySchema,
    run: ({ caller, params, body }) => updatePolicy(caller, params.id, body),
  }),
  rollbackPolicy: operation({
    id: "rollbackPolicy",
    method: "POST",
    path: "/policies/{id}/rollback",
    tag: "Policies",
    summary: "Go back to an earlier version (written as a new version)",
    body: rollbackPolicySchema,
    run: ({ caller, params, body }) => rollbackPolicy(caller, params.id, body),
  }),
  simulatePolicy: operation({
    id: "simulatePolicy",
    method: "POST",
    path: "/policies/simulate",
    tag: "Policies",
    summary: "What would be decided for an agent, action, resource and context, with a draft policy, before saving",
    body: simulateSchema,
    run: ({ caller, body }) => simulateDecision(caller, body),
  }),
  listGrants: operation({
    id: "listGrants",
    method: "GET",
    path: "/grants",
    tag: "Grants",
    summary:
      "Grants you can see, newest first, with scopes and their risk, last use and live token count; paged by cursor",
    description:
      "Pass next_cursor (or prev_cursor) back as `cursor` for the next (or previous) page. `total` is exact up to 10,000; beyond it `total_capped` is true.",
    query: grantListSchema,
    run: async ({ caller, query }) => {
      const { rows, total, totalCapped, nextCursor, prevCursor } = await listGrants(caller, query);
      return { data: rows, total, totalCapped, nextCursor, prevCursor };
    },
  }),
  getGrant: operation({
    id: "getGrant",
    method: "GET",
    path: "/grants/{id}",
    tag: "Grants",
    summary: "One grant",
    run: ({ caller, params }) => getGrant(caller, params.id),
  }),
  previewRevocation: operation({
    id: "previewRevocation",
    method: "POST",
    path: "/grants/impact",
    tag: "Grants",
    summary:
      "What a revocation would take (grants, live tokens, users) without changing anything: kind grants, user, consent or kill",
    body: revocationTargetSchema,
    run: ({ caller, body }) => previewRevocation(caller, body),
  }),
  revokeGrants: operation({
    id: "revokeGrants",
    method: "POST",
    path: "/grants/revoke",
    tag: "Grants",
    summary: "Revoke several grants at once (up to 100): all of them or none; already revoked ones are skipped",
    body: bulkRevokeSchema,
    run: ({ caller, body }) => revokeGrants(caller, body),
  }),
  revokeUserGrants: operation({
    id: "revokeUserGrants",
    method: "POST",
    path: "/users/{id}/grants/revoke",
    tag: "Grants",
    summary: "Offboarding: revoke every grant a person gave, in the tenants where you revoke grants",
    body: reasonBody,
    run: ({ caller, params, body }) => revokeUserGrants(caller, params.id, body),
  }),
  listAnomalies: operation({
    id: "listAnomalies",
    method: "GET",
    path: "/anomalies",
    tag: "Anomalies",
    summary: "Anomalies in the tenants where you read agents (open ones unless status is given), newest window first",
    query: anomalyListSchema,
    run: async ({ caller, query }) => ({ data: await listAnomalies(caller, query) }),
  }),
  acknowledgeAnomaly: operation({
    id: "acknowledgeAnomaly",
    method: "POST",
    path: "/anomalies/{id}/acknowledge",
    tag: "Anomalies",
    summary: "Acknowledge an anomaly (seen, being looked at), with a reason",
    body: reasonBody,
    run: ({ caller, params, body }) => acknowledgeAnomaly(caller, params.id, body),
  }),
  dismissAnomaly: operation({
    id: "dismissAnomaly",
    method: "POST",
    path: "/anomalies/{id}/dismiss",
    tag: "Anomalies",
    summary: "Dismiss an anomaly, with a reason",
    body: reasonBody,
    run: ({ caller, params, body }) => dismissAnomaly(caller, params.id, body),
  }),
  containAnomaly: operation({
    id: "containAnomaly",
    method: "POST",
    path: "/anomalies/{id}/contain",
    tag: "Anomalies",
    summary:
      "Contain an anomaly in one click: suspend the agent (action suspend) or pull its kill switch (action kill)",
    body: z.object({ action: z.enum(["suspend", "kill"]), reason: reasonSchema }),
    run: ({ caller, params, body }) => containAnomaly(caller, params.id, body),
  }),
  listAuditEvents: operation({
    id: "listAuditEvents",
    method: "GET",
    path: "/audit/events",
    tag: "Audit",
    summary: "Audit events you can read, newest first, with the chain's hashes; paged by cursor",
    description:
      "Filters: tenant, from, to (ISO 8601), actor, actor_type, agent (by or about it), action (or a family: grant.* is every event that changed grants), outcome, q (an id, matched exactly when it is one: a UUID, an automation client's client id, a grant's id; else part of the name of agents, people and automation clients, finding the events by and about them, or of an actor's label). Each event carries the names of its actor, target and the person acted for beside their ids. Pass next_cursor back as `cursor`. `total` is exact up to 10,000.",
    query: auditListSchema,
    run: async ({ caller, query }) => {
      const { rows, total, totalCapped, nextCursor, prevCursor } = await listAuditEvents(caller, query);
      return { data: rows, total, totalCapped, nextCursor, prevCursor };
    },
  }),
  getAuditEvent: operation({
    id: "getAuditEvent",
    method: "GET",
    path: "/audit/events/{id}",
    tag: "Audit",
    summary: "One audit event",
    run: ({ caller, params }) => getAuditEvent(caller, params.id),
  }),
  exportAudit: operation({
    id: "exportAudit",
    method: "GET",
    path: "/audit/export",
    tag: "Audit",
    summary: "Stream the events matching the filters as csv, ndjson or ocsf (auditors and security admins); audited",
    description:
      "Oldest first, up to the chain's head signed when the export starts (the X-Mandate-Audit-Checkpoint header; in NDJSON also the first line, with the public key). Each event carries seq, prev_hash and hash.",
    query: auditExportSchema,
    run: async ({ caller, query }) => exportResponse(await exportAuditEvents(caller, query)),
  }),
  verifyAudit: operation({
    id: "verifyAudit",
    method: "GET",
    path: "/audit/verify",
    tag: "Audit",
    summary: "Verify the whole audit chain and its signed checkpoints; names the first broken link",
    run: ({ caller }) => verifyAuditLog(caller),
  }),
  revokeGrant: operation({
    id: "revokeGrant",
    method: "DELETE",
    path: "/grants/{id}",
    tag: "Grants",
    summary: "Revoke a grant and every token of it, at once",
    body: reasonBody,
    run: ({ caller, params, body }) => revokeGrant(caller, params.id, body),
  }),
  killAgent: operation({
    id: "killAgent",
    method: "POST",
    path: "/agents/{id}/kill",
    tag: "Grants",
    summary: "Kill switch: revoke everything the agent holds, everywhere, and suspend it",
    body: reasonBody,
    run: ({ caller, params, body }) => killAgent(caller, params.id, body),
  }),
  withdrawConsent: operation({
    id: "withdrawConsent",
    method: "DELETE",
    path: "/tenants/{tenant}/agents/{id}/consent",
    tag: "Grants",
    summary:
      "Withdraw the tenant's consent from an agent: its grants and tokens there are revoked, and it gets no new ones",
    body: reasonBody,
    run: async ({ caller, params, body }) => {
      await assertAgentInTenant(await prisma(), caller, params.tenant, params.id);
      return withdrawTenantConsent(caller, params.id, body);
    },
  }),
  restoreConsent: operation({
    id: "restoreConsent",
    method: "PUT",
    path: "/tenants/{tenant}/agents/{id}/consent",
    tag: "Grants",
    summary: "Restore the tenant's consent to an agent (revoked grants and tokens stay revoked)",
    body: reasonBody,
    run: async ({ caller, params, body }) => {
      await assertAgentInTenant(await prisma(), caller, params.tenant, params.id);
      return restoreTenantConsent(caller, params.id, body);
    },
  }),
} satisfies Record<string, Operation>;
