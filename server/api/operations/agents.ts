import "server-only";
import { createAgentSchema, tenantAgentListSchema, updateAgentSchema } from "@/lib/schemas/agents";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { createAgent } from "../../agents/create-agent";
import { getAgentDetail } from "../../agents/get-agent";
import { listAgents } from "../../agents/list-agents";
import { renewReview } from "../../agents/renew-review";
import { transitionAgent } from "../../agents/transition-agent";
import { updateAgent } from "../../agents/update-agent";
import { prisma } from "../../db";
import { tenantForQuery } from "../../tenants/resolve-tenant";
import { defineOperations, type OperationSpec } from "../operation";
import { offsetPage } from "../pages";

// The registry: agents and their lifecycle.

function transition(name: "activate" | "suspend" | "resume" | "retire"): OperationSpec {
  return {
    method: "POST",
    path: `/agents/{id}/${name}`,
    tag: "Agents",
    summary: `${name[0].toUpperCase()}${name.slice(1)} an agent`,
    body: reasonBodySchema,
    run: ({ caller, params, body }) =>
      transitionAgent(caller, params.id, { ...(body as object), transition: name }).then(() =>
        getAgentDetail(caller, params.id),
      ),
  };
}

export const agentOperations = defineOperations({
  listAgents: {
    method: "GET",
    path: "/agents",
    tag: "Agents",
    summary: "List a tenant's agents, with the console's filters, sort and pages",
    query: tenantAgentListSchema,
    run: async ({ caller, query }) => {
      const tenant = await tenantForQuery(await prisma(), caller, query.tenant);
      return offsetPage(await listAgents(caller, tenant.id, query));
    },
  },
  createAgent: {
    method: "POST",
    path: "/agents",
    tag: "Agents",
    summary: "Register an agent (it starts pending); dpop_required: its tokens must be DPoP-bound (RFC 9449)",
    body: createAgentSchema,
    status: 201,
    run: async ({ caller, body }) => {
      const agent = await createAgent(caller, body as never);
      return getAgentDetail(caller, agent.id);
    },
  },
  getAgent: {
    method: "GET",
    path: "/agents/{id}",
    tag: "Agents",
    summary: "An agent with its owners, history, credentials, roles and effective scopes",
    run: ({ caller, params }) => getAgentDetail(caller, params.id),
  },
  updateAgent: {
    method: "PATCH",
    path: "/agents/{id}",
    tag: "Agents",
    summary:
      "Change an agent's name, description, owners, environment, attributes, redirect URIs, token lifetime, who may act on its tokens (may_delegate_to) or whether its tokens must be DPoP-bound (dpop_required, RFC 9449)",
    body: updateAgentSchema,
    run: async ({ caller, params, body }) => {
      await updateAgent(caller, params.id, body as never);
      return getAgentDetail(caller, params.id);
    },
  },
  activateAgent: transition("activate"),
  suspendAgent: transition("suspend"),
  resumeAgent: transition("resume"),
  retireAgent: transition("retire"),
  renewAgent: {
    method: "POST",
    path: "/agents/{id}/renew",
    tag: "Agents",
    summary: "Confirm an agent is still needed: its review date moves a full period ahead",
    body: reasonBodySchema.partial(),
    run: async ({ caller, params, body }) => {
      await renewReview(caller, params.id, body as { reason?: string });
      return getAgentDetail(caller, params.id);
    },
  },
});
