import "server-only";
import { type ChainedEvent, canonicalEvent } from "@/lib/audit/chain";
import { storableJson, storableText, truncate } from "@/lib/text/storable";
import type { Db } from "../db";
import type { Prisma } from "../db/generated/client";
import { currentRequestMeta, type RequestMeta } from "./context";

export type { RequestMeta } from "./context";

export type ActorType = "user" | "agent" | "client" | "system" | "anonymous";
export type Outcome = "success" | "failure" | "denied";

export interface AuditInput {
  action: string;
  outcome: Outcome;
  actor: { type: ActorType; id?: string | null; label?: string | null };
  /** The person an agent acted for (a delegated token's subject). */
  onBehalfOf?: string | null;
  tenantId?: string | null;
  target?: { type: string; id?: string | null };
  reason?: string | null;
  data?: Prisma.InputJsonValue;
  /** The request's id, address and user agent; by default the current request's (context.ts). */
  meta?: RequestMeta;
}

/**
 * Appends one event to the audit store, chained: in one statement, the chain's head row is
 * advanced (its row lock orders concurrent writers) and the event is inserted with its place in
 * the chain, the previous event's hash and its own, computed by the database from the canonical
 * event (lib/audit/chain.ts says how; the verifier recomputes it). Pass the transaction that makes
 * the change, so that both commit together: nothing is acknowledged that is not on record. Write
 * it as the transaction's last statement: the head stays locked until the commit.
 */
export async function recordAudit(db: Db, input: AuditInput): Promise<void> {
  const meta = input.meta ?? currentRequestMeta() ?? {};
  // Whatever a client sent, the event is stored: text PostgreSQL cannot hold is escaped, and the
  // original kept beside it in an encoded (JSON string) form. Long text is cut to bounds.
  const original: Record<string, string> = {};
  const text = (field: string, value: string | null | undefined, max: number): string | null => {
    if (value === null || value === undefined) return null;
    const { text: safe, changed } = storableText(value);
    if (changed) original[field] = truncate(JSON.stringify(value), 4 * max);
    return truncate(safe, max);
  };
  const plainData = input.data === undefined ? null : JSON.parse(JSON.stringify(input.data));
  const safeData = storableJson(plainData);
  if (safeData.changed) original.data = truncate(JSON.stringify(plainData), 65_536);
  const event: ChainedEvent = {
    occurred_at: new Date().toISOString(),
    tenant_id: input.tenantId ?? null,
    actor_type: input.actor.type,
    actor_id: text("actor_id", input.actor.id, 300),
    actor_label: text("actor_label", input.actor.label, 320),
    on_behalf_of: text("on_behalf_of", input.onBehalfOf, 300),
    action: input.action,
    target_type: input.target?.type ?? null,
    target_id: text("target_id", input.target?.id, 300),
    outcome: input.outcome,
    reason: text("reason", input.reason, 2000),
    request_id: text("request_id", meta.requestId, 200),
    ip: text("ip", meta.ip, 100),
    user_agent: text("user_agent", meta.userAgent, 512),
    // As the database will hand it back: dates as strings, undefined members gone; and, when
    // something had to be escaped, the originals under `_original`.
    data: Object.keys(original).length
      ? {
          ...(safeData.value && typeof safeData.value === "object" && !Array.isArray(safeData.value)
            ? (safeData.value as Record<string, unknown>)
            : safeData.value === null
              ? {}
              : { value: safeData.value }),
          _original: original,
        }
      : (safeData.value as ChainedEvent["data"]),
  };
  const canonical = canonicalEvent(event);
  const data = event.data === null ? null : JSON.stringify(event.data);
  await db.$executeRaw`
    WITH head AS (
      UPDATE audit_chain_head
         SET seq = seq + 1,
             prev_hash = hash,
             hash = encode(sha256(convert_to(hash || E'\\n' || (seq + 1)::text || E'\\n' || ${canonical}, 'UTF8')), 'hex')
       WHERE id = 1
   RETURNING seq, prev_hash, hash)
    INSERT INTO audit_events (seq, occurred_at, tenant_id, actor_type, actor_id, actor_label, on_behalf_of, action,
                              target_type, target_id, outcome, reason, request_id, ip, user_agent, data, prev_hash, hash)
    SELECT head.seq, ${new Date(event.occurred_at)}, ${event.tenant_id}::uuid, ${event.actor_type}, ${event.actor_id},
           ${event.actor_label}, ${event.on_behalf_of}, ${event.action}, ${event.target_type}, ${event.target_id},
           ${event.outcome}, ${event.reason}, ${event.request_id}, ${event.ip}, ${event.user_agent}, ${data}::jsonb,
           head.prev_hash, head.hash
      FROM head`;
}
