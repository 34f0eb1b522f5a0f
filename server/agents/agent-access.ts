import "server-only";
import { RETIRED_MESSAGE } from "@/lib/agent-lifecycle";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { can, type Permission } from "@/lib/permissions";
import { isUuid } from "@/lib/validation";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import type { Db } from "../db";

/**
 * An agent the caller may act on with the permission, looked up from the agent itself so the
 * tenant never comes from the request. Missing and other-tenant agents are both NotFound. With
 * `owners`, the agent's owner and backup owner may act too, whatever their role, as long as they
 * belong to its tenant (they are accountable for it: they read it, renew, suspend and resume it,
 * rotate its credentials and pull its kill switch).
 */
export async function agentFor(
  db: Db,
  caller: Caller,
  agentId: string,
  permission: Permission,
  opts: { owners?: boolean } = {},
) {
  if (!isUuid(agentId)) throw new NotFoundError("agent");
  const agent = await db.agent.findUnique({ where: { id: agentId } });
  if (agent && opts.owners && isAgentOwner(caller, agent) && can(caller.roles, "tenant.read", agent.tenantId)) {
    return agent;
  }
  if (!agent || !(can(caller.roles, "agents.read", agent.tenantId) || isAgentOwner(caller, agent))) {
    throw new NotFoundError("agent");
  }
  assertCan(caller, permission, agent.tenantId);
  return agent;
}

/**
 * Refuses unless the agent is in the tenant the request's path names (slug or id) and the caller
 * may see it there: another tenant's agent, or an unknown one, is NotFound.
 */
export async function assertAgentInTenant(db: Db, caller: Caller, tenantRef: string, agentId: string) {
  const tenant = await db.tenant.findUnique({
    where: isUuid(tenantRef) ? { id: tenantRef } : { slug: tenantRef },
    select: { id: true },
  });
  const agent =
    tenant && isUuid(agentId) ? await db.agent.findFirst({ where: { id: agentId, tenantId: tenant.id } }) : null;
  if (!agent || !can(caller.roles, "tenant.read", agent.tenantId)) throw new NotFoundError("agent");
}

/** Transitions an agent's owner may make whatever their role: stop it, and start it again. */
export const OWNER_TRANSITIONS: readonly string[] = ["suspend", "resume"];

/**
 * The agent's accountable owner or backup owner, whatever their console role. A connected MCP
 * client's recorded owner (the person who first let it in) has no owner's rights over it: its
 * tokens, grants and approval requests are other people's too, so the tenant's owners and security
 * admins manage it (server/agents/connected-clients.ts).
 */
export function isAgentOwner(
  caller: Caller,
  agent: { ownerId: string; backupOwnerId: string | null; kind: string },
): boolean {
  if (agent.kind === "MCP_CLIENT") return false;
  return caller.type === "user" && (agent.ownerId === caller.id || agent.backupOwnerId === caller.id);
}

/** Retired is final: nothing about a retired agent may change any more. */
export function assertNotRetired(agent: { status: string }): void {
  if (agent.status === "RETIRED") throw new ConflictError(RETIRED_MESSAGE);
}

/** Agent names are unique within a tenant; the clash is named on the field. */
export function duplicateAgentName(): ConflictError {
  return new ConflictError("An agent with that name already exists in this tenant.", {
    name: ["An agent with that name already exists in this tenant."],
  });
}
