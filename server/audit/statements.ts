import "server-only";
import type { ChainedEvent } from "@/lib/audit/chain";
import { statement } from "../db/statement";

// The audit chain's statements: appending one event (alone, or as the tail of a statement that
// makes the change it records), and appending a batch (the group commit, group-commit.ts).

/** An event ready for the chain: its fields, its canonical text (what its hash covers), its data as JSON. */
export interface BuiltEvent {
  event: ChainedEvent;
  canonical: string;
  data: string | null;
}

/**
 * The SQL that appends one event, chained, as the tail of a statement: `head` advances the chain's
 * head row (its row lock orders concurrent writers) and the event is inserted with its place in
 * the chain, the previous event's hash and its own, computed by the database from the canonical
 * event (lib/audit/chain.ts says how; the verifier recomputes it). Its 16 parameters start at
 * `$first` (eventParams() gives them); `condition` may hold the append back (no event written).
 */
export function appendEventSql(first: number, condition = "TRUE"): string {
  const $ = (i: number) => `$${first + i}`;
  return `head AS (
      UPDATE audit_chain_head
         SET seq = seq + 1,
             prev_hash = hash,
             hash = encode(sha256(convert_to(hash || E'\\n' || (seq + 1)::text || E'\\n' || ${$(0)}::text, 'UTF8')), 'hex')
       WHERE id = 1 AND (${condition})
   RETURNING seq, prev_hash, hash)
    INSERT INTO audit_events (seq, occurred_at, tenant_id, actor_type, actor_id, actor_label, on_behalf_of, action,
                              target_type, target_id, outcome, reason, request_id, ip, user_agent, data, prev_hash, hash)
    SELECT head.seq, ${$(1)}::timestamptz, ${$(2)}::uuid, ${$(3)}::text, ${$(4)}::text, ${$(5)}::text, ${$(6)}::text,
           ${$(7)}::text, ${$(8)}::text, ${$(9)}::text, ${$(10)}::text, ${$(11)}::text, ${$(12)}::text, ${$(13)}::text,
           ${$(14)}::text, ${$(15)}::jsonb, head.prev_hash, head.hash
      FROM head`;
}

/** appendEventSql()'s parameters for one event. */
export function eventParams({ event, canonical, data }: BuiltEvent): unknown[] {
  return [
    canonical,
    new Date(event.occurred_at),
    event.tenant_id,
    event.actor_type,
    event.actor_id,
    event.actor_label,
    event.on_behalf_of,
    event.action,
    event.target_type,
    event.target_id,
    event.outcome,
    event.reason,
    event.request_id,
    event.ip,
    event.user_agent,
    data,
  ];
}

/** One event, on its own. */
export const APPEND_ONE = statement<never>("audit_append_one", `WITH ${appendEventSql(1)}`);

/**
 * A batch of events in one statement: the head is locked and read once, the events are chained
 * from it in order (each hash over the previous one, exactly as one at a time), the head advanced
 * once to the last, and every event inserted. $1 is a JSON array of batchRow()s. $2 is a JSON array
 * of token rows (the authorization server's issued tokens, server/oauth/statements.ts's
 * TokenRowInput) inserted by the same statement, so that each token commits with its event.
 */
export const APPEND_BATCH = statement<never>(
  "audit_append_batch",
  `WITH RECURSIVE
    issued AS (
      INSERT INTO tokens (id, hash, kind, client_id, agent_id, automation_client_id, tenant_id, subject_id, grant_id,
                          scopes, audience, expires_at, payload, parent_id, ancestors, chain_agents, depth)
      SELECT id, hash, kind::"TokenKind", "clientId", "agentId", "automationClientId", "tenantId", "subjectId",
             "grantId", scopes, audience, "expiresAt", payload, "parentId", COALESCE(ancestors, '{}'),
             COALESCE("chainAgents", '{}'), COALESCE(depth, 0)
        FROM jsonb_to_recordset($2::jsonb)
          AS t(id uuid, hash text, kind text, "clientId" text, "agentId" uuid, "automationClientId" uuid,
               "tenantId" uuid, "subjectId" uuid, "grantId" text, scopes text[], audience text,
               "expiresAt" timestamptz, payload jsonb, "parentId" uuid, ancestors text[], "chainAgents" text[],
               depth int)
   RETURNING 1),
    batch AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb)
        AS e(n bigint, canonical text, occurred_at timestamptz, tenant_id uuid, actor_type text, actor_id text,
             actor_label text, on_behalf_of text, action text, target_type text, target_id text, outcome text,
             reason text, request_id text, ip text, user_agent text, data jsonb)),
    head AS (SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE),
    chain AS (
      SELECT b.n, head.seq + 1 AS seq, head.hash AS prev_hash,
             encode(sha256(convert_to(head.hash || E'\\n' || (head.seq + 1)::text || E'\\n' || b.canonical, 'UTF8')), 'hex') AS hash
        FROM head JOIN batch b ON b.n = 1
      UNION ALL
      SELECT b.n, c.seq + 1, c.hash,
             encode(sha256(convert_to(c.hash || E'\\n' || (c.seq + 1)::text || E'\\n' || b.canonical, 'UTF8')), 'hex')
        FROM chain c JOIN batch b ON b.n = c.n + 1),
    moved AS (
      UPDATE audit_chain_head h
         SET seq = last.seq, prev_hash = last.prev_hash, hash = last.hash
        FROM (SELECT seq, prev_hash, hash FROM chain ORDER BY n DESC LIMIT 1) last
       WHERE h.id = 1
   RETURNING h.seq)
  INSERT INTO audit_events (seq, occurred_at, tenant_id, actor_type, actor_id, actor_label, on_behalf_of, action,
                            target_type, target_id, outcome, reason, request_id, ip, user_agent, data, prev_hash, hash)
  SELECT c.seq, b.occurred_at, b.tenant_id, b.actor_type, b.actor_id, b.actor_label, b.on_behalf_of, b.action,
         b.target_type, b.target_id, b.outcome, b.reason, b.request_id, b.ip, b.user_agent, b.data, c.prev_hash, c.hash
    FROM chain c JOIN batch b ON b.n = c.n`,
);

/** One event of a batch, as APPEND_BATCH reads it (n: its place in the batch, from 1). */
export function batchRow(n: number, { event, canonical }: BuiltEvent) {
  return { n, canonical, ...event };
}
