import "server-only";
import { appendEventSql } from "../audit/statements";
import { statement } from "../db/statement";

// The authorization server's hot statements: the client behind a request, its secret, the live
// token behind a presented value, and the token row written at issue (with its audit event, in
// the same statement). Every read checks liveness in the database itself, on every request: no
// token, grant or agent state is kept between requests.

/** The live-token columns and conditions, for the token whose hash is `$hash` at `$now`. */
const liveTokenSql = (hash: string, now: string) => `
    SELECT t.kind::text AS kind, t.payload, t.consumed_at, t.grant_id
      FROM tokens t
      LEFT JOIN grants g ON g.id = t.grant_id
      LEFT JOIN agents a ON a.id = t.agent_id
      LEFT JOIN automation_clients c ON c.id = t.automation_client_id
     WHERE t.hash = ${hash}
       AND t.revoked_at IS NULL
       AND t.expires_at > ${now}
       AND (t.grant_id IS NULL OR g.revoked_at IS NULL)
       AND ((t.agent_id IS NOT NULL AND a.status = 'ACTIVE' AND a.consent_withdrawn_at IS NULL
             AND (a.review_due_at IS NULL OR a.review_due_at > ${now}))
         OR (t.automation_client_id IS NOT NULL AND c.revoked_at IS NULL))
       AND ${chainIntactSql("t", now)}`;

/**
 * An exchanged token (RFC 8693) is live only while its whole chain is: no token above it revoked
 * and every agent that held the chain still allowed tokens. Revocation also writes the cascade
 * (chain.ts), in its own transaction; this check holds even against a revocation that raced it.
 */
export const chainIntactSql = (t: string, now: string) => `(${t}.depth = 0 OR (
         NOT EXISTS (SELECT 1 FROM tokens up WHERE up.id = ANY(${t}.ancestors::uuid[]) AND up.revoked_at IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM agents x WHERE x.id = ANY(${t}.chain_agents::uuid[])
                          AND NOT (x.status = 'ACTIVE' AND x.consent_withdrawn_at IS NULL
                                   AND (x.review_due_at IS NULL OR x.review_due_at > ${now})))))`;

export interface CredentialRow {
  id: string;
  agent_id: string;
  revoked_at: Date | null;
  expires_at: Date | null;
  last_used_at: Date | null;
}

export interface LiveTokenRow {
  kind: string;
  payload: unknown;
  consumed_at: Date | null;
  grant_id: string | null;
}

/**
 * An agent as a client: its state and the scopes its roles allow ($1; the scopes only when $5, for
 * a request that can issue a token); and, read ahead in the same
 * statement, the credential of the secret the request presents ($2, its hash) and the live token
 * it introspects ($3, its hash, at $4), so that an introspection is one statement. Either may be
 * null (not presented); clients.ts hands them on to the secret check and the token lookup.
 */
export const AGENT_CLIENT = statement<{
  id: string;
  name: string;
  kind: string;
  status: string;
  review_due_at: Date | null;
  consent_withdrawn_at: Date | null;
  tenant_id: string;
  redirect_uris: string[];
  token_ttl_seconds: number;
  delegation_restricted: boolean;
  may_delegate_to: string[] | null;
  dpop_required: boolean;
  scopes: string[];
  credential_id: string | null;
  credential_agent_id: string | null;
  credential_revoked_at: Date | null;
  credential_expires_at: Date | null;
  credential_last_used_at: Date | null;
  token_kind: string | null;
  token_payload: unknown;
  token_consumed_at: Date | null;
  token_grant_id: string | null;
}>(
  "oauth_agent_client",
  `SELECT a.id::text AS id, a.name, a.kind::text AS kind, a.status::text AS status, a.review_due_at, a.consent_withdrawn_at,
          a.tenant_id::text AS tenant_id, a.redirect_uris, a.token_ttl_seconds, a.delegation_restricted,
          a.may_delegate_to,
          (a.dpop_required OR EXISTS (SELECT 1 FROM tenants tn WHERE tn.id = a.tenant_id AND tn.dpop_required))
            AS dpop_required,
          CASE WHEN $5::boolean THEN
            ARRAY(SELECT DISTINCT s.name
                    FROM role_assignments ra
                    JOIN role_scopes rs ON rs.role_id = ra.role_id
                    JOIN scopes s ON s.id = rs.scope_id
                   WHERE ra.agent_id = a.id
                   ORDER BY s.name)
          ELSE '{}'::text[] END AS scopes,
          cr.id::text AS credential_id, cr.agent_id::text AS credential_agent_id,
          cr.revoked_at AS credential_revoked_at, cr.expires_at AS credential_expires_at,
          cr.last_used_at AS credential_last_used_at,
          tk.kind AS token_kind, tk.payload AS token_payload, tk.consumed_at AS token_consumed_at,
          tk.grant_id AS token_grant_id
     FROM agents a
     LEFT JOIN credentials cr ON cr.secret_hash = $2::text
     LEFT JOIN LATERAL (${liveTokenSql("$3::text", "$4::timestamptz")}) tk ON TRUE
    WHERE a.id = $1::uuid`,
);

/** The agent credential a presented secret's hash belongs to. */
export const CREDENTIAL_BY_SECRET = statement<CredentialRow>(
  "oauth_credential_by_secret",
  `SELECT id::text AS id, agent_id::text AS agent_id, revoked_at, expires_at, last_used_at
     FROM credentials
    WHERE secret_hash = $1`,
);

export const CREDENTIAL_USED = statement<never>(
  "oauth_credential_used",
  "UPDATE credentials SET last_used_at = $2 WHERE id = $1::uuid",
);

/**
 * A live token by its hash ($2: now): unexpired and unrevoked, its grant (if any) unrevoked, and
 * its holder still allowed tokens: an active agent inside its review date whose tenant has not
 * withdrawn consent, or an unrevoked automation client (token-store.ts says the same in Prisma's
 * terms, for the lists).
 */
export const LIVE_TOKEN = statement<LiveTokenRow>("oauth_live_token", liveTokenSql("$1", "$2"));

export const AGENT_TENANT = statement<{ tenant_id: string }>(
  "oauth_agent_tenant",
  "SELECT tenant_id::text AS tenant_id FROM agents WHERE id = $1::uuid",
);

/** A token row's columns, and its values as parameters $1–$17 (tokenParams()). */
const TOKEN_COLUMNS = `(id, hash, kind, client_id, agent_id, automation_client_id, tenant_id, subject_id, grant_id,
                          scopes, audience, expires_at, payload, parent_id, ancestors, chain_agents, depth)`;
const TOKEN_VALUES = `$1::uuid, $2, $3::"TokenKind", $4, $5::uuid, $6::uuid, $7::uuid, $8::uuid, $9, $10::text[], $11,
              $12::timestamptz, $13::jsonb, $14::uuid, $15::text[], $16::text[], $17::int`;

/** Writes a token row ($1–$17, tokenParams()); an existing row of the same hash is updated. */
const UPSERT_TOKEN_SQL = `token AS (
      INSERT INTO tokens ${TOKEN_COLUMNS}
      VALUES (${TOKEN_VALUES})
      ON CONFLICT (hash) DO UPDATE
         SET kind = EXCLUDED.kind, client_id = EXCLUDED.client_id, agent_id = EXCLUDED.agent_id,
             automation_client_id = EXCLUDED.automation_client_id, tenant_id = EXCLUDED.tenant_id,
             subject_id = EXCLUDED.subject_id, grant_id = EXCLUDED.grant_id, scopes = EXCLUDED.scopes,
             audience = EXCLUDED.audience, expires_at = EXCLUDED.expires_at, payload = EXCLUDED.payload,
             parent_id = EXCLUDED.parent_id, ancestors = EXCLUDED.ancestors, chain_agents = EXCLUDED.chain_agents,
             depth = EXCLUDED.depth
   RETURNING (xmax = 0) AS inserted)`;

/**
 * A token exchanged from a chain (exchange.ts), written only while the chain holds, with its audit
 * event, in one statement: the tokens above it ($18) still live at $21, the agents that held it
 * ($19) still allowed tokens, and the person's grant ($20, if any) unrevoked, each row locked
 * FOR SHARE until the statement commits. A revocation of any of them then waits, and its cascade
 * (a later statement of its transaction) finds the new token; one already under way holds a lock
 * this cannot take (NOWAIT: the exchange never waits on a revocation, whose top-down locking it
 * would deadlock with) or has committed, and then nothing is written and no row returned. The
 * event's parameters start at $22.
 */
export const INSERT_EXCHANGED_TOKEN = statement<{ seq: string }>(
  "oauth_insert_exchanged_token",
  `WITH held_tokens AS (
          SELECT id FROM tokens WHERE id = ANY($18::uuid[]) AND revoked_at IS NULL AND expires_at > $21
             FOR SHARE NOWAIT),
        held_agents AS (
          SELECT id FROM agents WHERE id = ANY($19::uuid[]) AND status = 'ACTIVE' AND consent_withdrawn_at IS NULL
             AND (review_due_at IS NULL OR review_due_at > $21) FOR SHARE NOWAIT),
        held_grants AS (SELECT id FROM grants WHERE id = $20::text AND revoked_at IS NULL FOR SHARE NOWAIT),
        token AS (
          INSERT INTO tokens ${TOKEN_COLUMNS}
          SELECT ${TOKEN_VALUES}
           WHERE (SELECT count(*) FROM held_tokens) = cardinality($18::uuid[])
             AND (SELECT count(*) FROM held_agents) = cardinality($19::uuid[])
             AND ($20::text IS NULL OR (SELECT count(*) FROM held_grants) = 1)
       RETURNING TRUE AS inserted),
        ${appendEventSql(22, "SELECT inserted FROM token")}
   RETURNING seq::text AS seq`,
);

export const UPSERT_TOKEN = statement<{ inserted: boolean }>(
  "oauth_upsert_token",
  `WITH ${UPSERT_TOKEN_SQL} SELECT inserted FROM token`,
);

/** The same, and when the row is new, its audit event ($18–) appended in the same statement. */
export const UPSERT_TOKEN_AUDITED = statement<never>(
  "oauth_upsert_token_audited",
  `WITH ${UPSERT_TOKEN_SQL}, ${appendEventSql(18, "SELECT inserted FROM token")}`,
);

/** A token row as UPSERT_TOKEN's parameters. */
export interface TokenRowInput {
  id: string;
  hash: string;
  kind: string;
  clientId: string;
  agentId: string | null;
  automationClientId: string | null;
  tenantId: string | null;
  subjectId: string | null;
  grantId: string | null;
  scopes: string[];
  audience: string | null;
  expiresAt: Date;
  payload: object;
  /** Token exchange only (exchange.ts): the chain above this token. */
  parentId?: string | null;
  ancestors?: string[];
  chainAgents?: string[];
  depth?: number;
}

export function tokenParams(t: TokenRowInput): unknown[] {
  return [
    t.id,
    t.hash,
    t.kind,
    t.clientId,
    t.agentId,
    t.automationClientId,
    t.tenantId,
    t.subjectId,
    t.grantId,
    t.scopes,
    t.audience,
    t.expiresAt,
    JSON.stringify(t.payload),
    t.parentId ?? null,
    t.ancestors ?? [],
    t.chainAgents ?? [],
    t.depth ?? 0,
  ];
}

/**
 * A DPoP proof's jti, spent for its key ($1 jkt, $2 jti) until $3: a row back the first time, none
 * for a replay, on every instance (dpop.ts).
 */
export const SPEND_DPOP_PROOF = statement<{ spent: boolean }>(
  "oauth_spend_dpop_proof",
  `INSERT INTO dpop_proofs (jkt, jti, expires_at) VALUES ($1, $2, $3::timestamptz)
   ON CONFLICT (jkt, jti) DO NOTHING
   RETURNING TRUE AS spent`,
);
