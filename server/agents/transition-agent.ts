import "server-only";
import { canTransition, TRANSITIONS, type Transition, transitionError } from "@/lib/agent-lifecycle";
import { ConflictError, DomainError } from "@/lib/errors";
import { bulkTransitionSchema, transitionSchema } from "@/lib/schemas/agents";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import { revokeBelowAgent } from "../oauth/chain";
import { agentFor, OWNER_TRANSITIONS } from "./agent-access";
import { statusFromDb, statusToDb } from "./mappers";

const DAY = 86_400_000;

export type Actor = { type: string; id?: string | null; label: string };

/**
 * Moves one agent along its lifecycle, compare-and-set on its current status so that two people
 * acting at once cannot both succeed. Records the change in its history and the audit store.
 */
export async function applyTransition(
  tx: Db,
  agent: { id: string; tenantId: string; status: Parameters<typeof statusFromDb>[0]; reviewDueAt: Date | null },
  transition: Transition,
  reason: string,
  actor: Actor,
  now = new Date(),
) {
  const from = statusFromDb(agent.status);
  if (!canTransition(from, transition)) throw new ConflictError(transitionError(from, transition));
  if (transition === "resume" && agent.reviewDueAt && agent.reviewDueAt <= now) {
    throw new ConflictError("This agent's review is overdue: renew the review before resuming it.");
  }
  const to = TRANSITIONS[transition].to;
  let reviewDueAt: Date | undefined;
  if (transition === "activate" && (!agent.reviewDueAt || agent.reviewDueAt <= now)) {
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: agent.tenantId },
      select: { reviewPeriodDays: true },
    });
    reviewDueAt = new Date(now.getTime() + tenant.reviewPeriodDays * DAY);
  }
  const { count } = await tx.agent.updateMany({
    where: { id: agent.id, status: agent.status },
    data: {
      status: statusToDb(to),
      statusChangedAt: now,
      ...(transition === "activate" ? { activatedAt: now } : {}),
      ...(reviewDueAt ? { reviewDueAt } : {}),
    },
  });
  if (count === 0) throw new ConflictError("The agent changed while you were acting on it. Reload and try again.");
  // Retirement is final, so nothing the agent could authenticate with may outlive it.
  const revoked =
    transition === "retire"
      ? (
          await tx.credential.updateMany({
            where: { agentId: agent.id, revokedAt: null },
            data: { revokedAt: now, revokedReason: "Agent retired" },
          })
        ).count
      : 0;
  // An agent that stops acting takes down every chain through it: the tokens exchanged from its
  // tokens, at any depth, are revoked here (its own stay unusable while it is not active).
  const downstream =
    to === "active"
      ? 0
      : await revokeBelowAgent(
          tx,
          agent.id,
          `Agent ${transition === "retire" ? "retired" : "suspended"}: ${reason}`,
          now,
        );
  await tx.agentStatusChange.create({
    data: {
      agentId: agent.id,
      fromStatus: agent.status,
      toStatus: statusToDb(to),
      actorType: actor.type,
      actorId: actor.id ?? null,
      actorLabel: actor.label,
      reason,
      at: now,
    },
  });
  await recordAudit(tx, {
    action: `agent.${transition}`,
    outcome: "success",
    actor: { type: actor.type as never, id: actor.id, label: actor.label },
    tenantId: agent.tenantId,
    target: { type: "agent", id: agent.id },
    reason,
    data: {
      before: { status: from },
      after: {
        status: to,
        ...(reviewDueAt ? { review_due_at: reviewDueAt.toISOString() } : {}),
        ...(transition === "retire" ? { credentials_revoked: revoked } : {}),
        ...(downstream ? { downstream_tokens_revoked: downstream } : {}),
      },
    },
  });
  return to;
}

export async function transitionAgent(caller: Caller, agentId: string, input: unknown) {
  const { transition, reason } = parseInput(transitionSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "agents.write", {
      owners: OWNER_TRANSITIONS.includes(transition),
    });
    await applyTransition(tx, agent, transition as Transition, reason, actorOf(caller));
    return tx.agent.findUniqueOrThrow({ where: { id: agent.id } });
  });
}

export interface BulkResult {
  id: string;
  ok: boolean;
  error?: string;
}

/** Suspends or resumes several agents; each succeeds or fails on its own, with a reason. */
export async function transitionAgents(caller: Caller, input: unknown): Promise<BulkResult[]> {
  const { ids, transition, reason } = parseInput(bulkTransitionSchema, input);
  const db = await prisma();
  const results: BulkResult[] = [];
  for (const id of new Set(ids)) {
    try {
      await db.$transaction(async (tx) => {
        const agent = await agentFor(tx, caller, id, "agents.write");
        await applyTransition(tx, agent, transition, reason, actorOf(caller));
      });
      results.push({ id, ok: true });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      results.push({ id, ok: false, error: error.message });
    }
  }
  return results;
}
