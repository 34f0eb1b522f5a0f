import "server-only";
import { type ChainedEvent, canonicalEvent } from "@/lib/audit/chain";
import { storableJson, storableText, truncate } from "@/lib/text/storable";
import type { Db } from "../db";
import { databaseOfClient } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { runStatement } from "../db/statement";
import { currentRequestMeta, type RequestMeta } from "./context";
import { appendGrouped } from "./group-commit";
import { APPEND_ONE, type BuiltEvent, eventParams } from "./statements";

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
 * The event as it will be stored. Whatever a client sent, the event is stored: text PostgreSQL
 * cannot hold is escaped, and the original kept beside it in an encoded (JSON string) form. Long
 * text is cut to bounds.
 */
export function buildEvent(input: AuditInput): BuiltEvent {
  const meta = input.meta ?? currentRequestMeta() ?? {};
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
  return { event, canonical: canonicalEvent(event), data: event.data === null ? null : JSON.stringify(event.data) };
}

/**
 * Appends one event to the audit store, chained. Pass the transaction that makes the change, so
 * that both commit together: nothing is acknowledged that is not on record. Write it as the
 * transaction's last statement: the head stays locked until the commit.
 *
 * An event that goes with no change of state (a decision, a refusal) is given the process's client
 * instead, and is group-committed (group-commit.ts): appended with the others of its moment in one
 * statement, this call returning once that statement has committed.
 */
export async function recordAudit(db: Db, input: AuditInput): Promise<void> {
  const built = buildEvent(input);
  const root = databaseOfClient(db);
  if (root) return appendGrouped(root, built);
  await runStatement(APPEND_ONE, eventParams(built), db);
}
