import "server-only";
import type { Db } from "../db";
import { runStatement, statement } from "../db/statement";
import { chainIntactSql } from "./statements";

// Delegation chains (RFC 8693 token exchange): the statements that read a token to exchange and
// revoke everything downstream of a token or an agent (the exchanged token is written, holding its
// chain, by statements.ts's INSERT_EXCHANGED_TOKEN). A token's row carries its chain: `ancestors` (every token above it, origin
// first), `chain_agents` (the agents that held the chain, origin first, its holder last) and
// `depth` (how many exchanges deep it is). Revoking anything in a chain revokes what is below it in
// the same transaction; the liveness check (statements.ts, chainIntactSql) holds the chain too.

export interface ExchangeSubjectRow {
  id: string;
  kind: string;
  agent_id: string | null;
  agent_name: string | null;
  tenant_id: string | null;
  subject_id: string | null;
  grant_id: string | null;
  scopes: string[];
  audience: string | null;
  expires_at: Date;
  payload: { extra?: Record<string, unknown> } | null;
  ancestors: string[];
  chain_agents: string[];
  depth: number;
  max_depth: number | null;
}

/** A live access token by hash ($1, at $2), with its chain and its tenant's depth cap. */
export const EXCHANGE_SUBJECT = statement<ExchangeSubjectRow>(
  "oauth_exchange_subject",
  `SELECT t.id::text AS id, t.kind::text AS kind, t.agent_id::text AS agent_id, a.name AS agent_name,
          t.tenant_id::text AS tenant_id, t.subject_id::text AS subject_id, t.grant_id, t.scopes, t.audience,
          t.expires_at, t.payload, COALESCE(t.ancestors, '{}') AS ancestors,
          COALESCE(t.chain_agents, '{}') AS chain_agents, t.depth, ten.max_delegation_depth AS max_depth
     FROM tokens t
     LEFT JOIN grants g ON g.id = t.grant_id
     LEFT JOIN agents a ON a.id = t.agent_id
     LEFT JOIN tenants ten ON ten.id = t.tenant_id
    WHERE t.hash = $1
      AND t.kind IN ('ACCESS_TOKEN', 'CLIENT_CREDENTIALS')
      AND t.revoked_at IS NULL
      AND t.expires_at > $2
      AND (t.grant_id IS NULL OR g.revoked_at IS NULL)
      AND t.agent_id IS NOT NULL AND a.status = 'ACTIVE' AND a.consent_withdrawn_at IS NULL
      AND (a.review_due_at IS NULL OR a.review_due_at > $2)
      AND ${chainIntactSql("t", "$2")}`,
);

/** Revokes every live token below the tokens $1 (at $2, for reason $3); returns their ids. */
const REVOKE_BELOW_TOKENS = statement<{ id: string }>(
  "oauth_revoke_below_tokens",
  `UPDATE tokens SET revoked_at = $2, revoked_reason = $3
    WHERE ancestors && $1::text[] AND revoked_at IS NULL AND expires_at > $2
   RETURNING id::text AS id`,
);

/** Revokes every live token a chain through agent $1 led to, other than the agent's own. */
const REVOKE_BELOW_AGENT = statement<{ id: string }>(
  "oauth_revoke_below_agent",
  `UPDATE tokens SET revoked_at = $2, revoked_reason = $3
    WHERE chain_agents && ARRAY[$1::text] AND agent_id <> $1::uuid AND revoked_at IS NULL AND expires_at > $2
   RETURNING id::text AS id`,
);

/** The live tokens below the tokens $1, or through agent $2 (not its own), at $3: for impact lines. */
const LIVE_BELOW = statement<{ id: string; subject_id: string | null }>(
  "oauth_live_below",
  `SELECT id::text AS id, subject_id::text AS subject_id FROM tokens
    WHERE ((ancestors && $1::text[]) OR (chain_agents && ARRAY[$2::text] AND agent_id <> $2::uuid))
      AND revoked_at IS NULL AND expires_at > $3 AND kind <> 'AUTHORIZATION_CODE'`,
);

/**
 * Revokes, in the caller's transaction, every token exchanged from these tokens, transitively.
 * Run it after the statements that revoked them (it must see what was exchanged meanwhile).
 */
export async function revokeBelowTokens(tx: Db, tokenIds: string[], reason: string, now: Date): Promise<number> {
  if (!tokenIds.length) return 0;
  return (await runStatement(REVOKE_BELOW_TOKENS, [tokenIds, now, reason], tx)).length;
}

/** Revokes, in the caller's transaction, every token that a chain through this agent led to. */
/** PostgreSQL's "could not obtain lock" (NOWAIT): a revocation holds part of the chain. */
export function chainBeingRevoked(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ""} ${error instanceof Error ? error.message : String(error)}`;
  return /55P03|could not obtain lock/.test(text);
}

export async function revokeBelowAgent(tx: Db, agentId: string, reason: string, now: Date): Promise<number> {
  // Every token below carries the agents above it (chain_agents), so one statement reaches them all.
  return (await runStatement(REVOKE_BELOW_AGENT, [agentId, now, reason], tx)).length;
}

/** What revoking these tokens (or suspending this agent) would revoke below them, not revoking. */
export async function liveBelow(
  db: Db,
  tokenIds: string[],
  agentId: string | null,
  now = new Date(),
): Promise<{ id: string; subject_id: string | null }[]> {
  if (!tokenIds.length && !agentId) return [];
  return runStatement(LIVE_BELOW, [tokenIds, agentId, now], db);
}
