import "server-only";
import { ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import type { AuditInput } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import type { Db } from "../db";

/**
 * Hands agents to a new accountable owner, as part of a leaver's offboarding or a member's removal
 * (the caller's transaction). The new owner must be active and belong to each agent's tenant (or
 * hold a role across every tenant); otherwise nothing moves and the field is named. Returns the
 * audit events to record last in the transaction (an event holds the chain's head until commit).
 */
export async function transferAgents(
  tx: Db,
  caller: Caller,
  opts: { from: { id: string }; to: string; agentIds: string[]; reason: string },
): Promise<{ to: { id: string; email: string; name: string }; events: AuditInput[] }> {
  const field = "transfer_agents_to";
  const ref = opts.to.trim();
  const to = await tx.user.findUnique({
    where: isUuid(ref) ? { id: ref } : { email: String(ref).toLowerCase() },
    include: { memberships: { select: { tenantId: true } } },
  });
  if (!to || to.deactivatedAt)
    throw new ValidationError({ [field]: ["Choose an active person to take the agents over."] });
  if (to.id === opts.from.id) throw new ValidationError({ [field]: ["Choose someone other than the person leaving."] });
  const agents = await tx.agent.findMany({
    where: { id: { in: opts.agentIds } },
    select: {
      id: true,
      tenantId: true,
      name: true,
      ownerId: true,
      backupOwnerId: true,
      tenant: { select: { name: true } },
    },
  });
  const tenants = new Set(to.memberships.map((m) => m.tenantId));
  const outside = agents.filter((a) => !to.globalRole && !tenants.has(a.tenantId));
  if (outside.length) {
    const names = [...new Set(outside.map((a) => a.tenant.name))].join(", ");
    throw new ValidationError({ [field]: [`${to.name} is not a member of ${names}: add them there first.`] });
  }
  const events: AuditInput[] = [];
  for (const agent of agents) {
    // An owner is not their own backup.
    const backupOwnerId = agent.backupOwnerId === to.id ? null : agent.backupOwnerId;
    await tx.agent.update({ where: { id: agent.id }, data: { ownerId: to.id, backupOwnerId } });
    events.push({
      action: "agent.update",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason: opts.reason,
      data: {
        before: { owner: agent.ownerId, backup_owner: agent.backupOwnerId },
        after: { owner: to.id, backup_owner: backupOwnerId },
      },
    });
  }
  return { to: { id: to.id, email: to.email, name: to.name }, events };
}
