import "server-only";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { agentFor, assertNotRetired } from "./agent-access";

/**
 * The agent's owner (or anyone who may manage agents in the tenant) confirms the agent is still
 * needed: its next review moves a full review period ahead. A suspended agent stays suspended.
 */
export async function renewReview(caller: Caller, agentId: string, input: { reason?: string } = {}) {
  const { reason } = parseInput(reasonBodySchema, { reason: input.reason ?? "Review renewed" });
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "agents.write", { owners: true });
    assertNotRetired(agent);
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: agent.tenantId } });
    const reviewDueAt = new Date(Date.now() + tenant.reviewPeriodDays * 86_400_000);
    const updated = await tx.agent.update({ where: { id: agent.id }, data: { reviewDueAt } });
    await recordAudit(tx, {
      action: "agent.renew",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason,
      data: {
        before: { review_due_at: agent.reviewDueAt?.toISOString() ?? null },
        after: { review_due_at: reviewDueAt.toISOString() },
      },
    });
    return updated;
  });
}
