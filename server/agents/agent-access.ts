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
 * tenant never comes from the request. Missing and other-tenant agents are both NotFound.
 */
export async function agentFor(db: Db, caller: Caller, agentId: string, permission: Permission) {
  if (!isUuid(agentId)) throw new NotFoundError("agent");
  const agent = await db.agent.findUnique({ where: { id: agentId } });
  if (!agent || !can(caller.roles, "agents.read", agent.tenantId)) throw new NotFoundError("agent");
  assertCan(caller, permission, agent.tenantId);
  return agent;
}

/** The agent's accountable owner or backup owner, whatever their console role. */
export function isAgentOwner(caller: Caller, agent: { ownerId: string; backupOwnerId: string | null }): boolean {
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
