import "server-only";
import { canonicalEvent, eventHash } from "@/lib/audit/chain";
import type { Db } from "../db";
import type { AuditEvent } from "../db/generated/client";

// The audit chain as the writer keeps it: the fields an event's hash covers, and the one-time
// chaining of events written before the chain existed. Checkpoints and the verifier belong to the
// audit log (server/audit-log/).

type EventRow = AuditEvent;

/** The event as the chain covers it, from its row. */
export function chainedFields(row: EventRow) {
  return canonicalEvent({
    occurred_at: row.occurredAt.toISOString(),
    tenant_id: row.tenantId,
    actor_type: row.actorType,
    actor_id: row.actorId,
    actor_label: row.actorLabel,
    on_behalf_of: row.onBehalfOf,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    outcome: row.outcome,
    reason: row.reason,
    request_id: row.requestId,
    ip: row.ip,
    user_agent: row.userAgent,
    data: row.data ?? null,
  });
}

/**
 * Gives events written before the chain existed their place in it, in the order they were
 * written (once: the database refuses any other change to an event). Run at start-up.
 */
export async function chainUnchainedEvents(db: Db & { $transaction: unknown }): Promise<number> {
  let done = 0;
  const client = db as unknown as {
    $transaction<T>(fn: (tx: Db) => Promise<T>, options?: { timeout?: number }): Promise<T>;
  };
  for (;;) {
    const n = await client.$transaction(
      async (tx) => {
        const head = (
          await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
          SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE`
        )[0];
        const rows = (await tx.auditEvent.findMany({
          where: { seq: null },
          orderBy: { id: "asc" },
          take: 1_000,
        })) as EventRow[];
        let { seq, hash } = head;
        let prev = hash;
        for (const row of rows) {
          seq += 1n;
          const next = eventHash(hash, seq, chainedFields(row));
          await tx.auditEvent.update({ where: { id: row.id }, data: { seq, prevHash: hash, hash: next } });
          prev = hash;
          hash = next;
        }
        if (rows.length) {
          await tx.$executeRaw`UPDATE audit_chain_head SET seq = ${seq}, prev_hash = ${prev}, hash = ${hash} WHERE id = 1`;
        }
        return rows.length;
      },
      { timeout: 120_000 },
    );
    done += n;
    if (n < 1_000) return done;
  }
}
