// The bare reference of bench/hot-paths.ts (issue 17): what introspection and a chained, audited
// decision cost with nothing but node:http and a pg Pool of named prepared statements, on
// Mandate's own tables (DATABASE_URL: the benchmark's database, with real token rows). In a
// process of its own, so that its CPU can be read from /proc; prints {"origin": ...} on its first
// line of output once it listens.
// - POST /introspect (form body token=…): one SELECT by the token's hash, an RFC 7662 answer.
// - POST /decide (Authorization: Bearer, JSON body): the same SELECT, then Mandate's chained audit
//   append (the statement of server/audit/record.ts), then {"decision": "allow"}.
// Run with: node --import tsx --import ./scripts/server-only-hook.mjs bench/lib/reference-bare.ts
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { type ChainedEvent, canonicalEvent } from "../../lib/audit/chain";
import { hashToken } from "../../server/oauth/hash";

interface TokenRow {
  client_id: string;
  agent_id: string | null;
  tenant_id: string | null;
  scopes: string[];
  audience: string | null;
  expires_at: Date;
}

// Mandate's pool is 10 connections per process (server/db/client.ts): the same here.
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

const TOKEN: Omit<pg.QueryConfig, "values"> = {
  name: "bare-token",
  text: `SELECT client_id, agent_id, tenant_id, scopes, audience, expires_at
           FROM tokens WHERE hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
};

/** server/audit/record.ts's append, its parameters typed as Prisma sends them. */
const APPEND: Omit<pg.QueryConfig, "values"> = {
  name: "bare-audit-append",
  text: `
    WITH head AS (
      UPDATE audit_chain_head
         SET seq = seq + 1,
             prev_hash = hash,
             hash = encode(sha256(convert_to(hash || E'\\n' || (seq + 1)::text || E'\\n' || $1::text, 'UTF8')), 'hex')
       WHERE id = 1
   RETURNING seq, prev_hash, hash)
    INSERT INTO audit_events (seq, occurred_at, tenant_id, actor_type, actor_id, actor_label, on_behalf_of, action,
                              target_type, target_id, outcome, reason, request_id, ip, user_agent, data, prev_hash, hash)
    SELECT head.seq, $2::timestamptz, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::text,
           $11::text, $12::text, $13::text, $14::text, $15::text, $16::jsonb, head.prev_hash, head.hash
      FROM head`,
};

async function findToken(value: string): Promise<TokenRow | undefined> {
  return (await pool.query<TokenRow>({ ...TOKEN, values: [hashToken(value)] })).rows[0];
}

async function introspect(body: string): Promise<object> {
  const value = new URLSearchParams(body).get("token");
  const row = value ? await findToken(value) : undefined;
  if (!row) return { active: false };
  return {
    active: true,
    client_id: row.client_id,
    scope: row.scopes.join(" "),
    aud: row.audience ?? undefined,
    exp: Math.floor(row.expires_at.getTime() / 1000),
    token_type: "Bearer",
  };
}

async function decide(req: http.IncomingMessage, body: string): Promise<[number, object]> {
  const value = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const row = value ? await findToken(value) : undefined;
  if (!row?.agent_id) return [401, { error: "invalid_token" }];
  const request = JSON.parse(body) as { action: string; resource: unknown; context: unknown };
  if (!row.scopes.includes(request.action)) return [403, { error: "insufficient_scope" }];
  const id = randomUUID();
  const event: ChainedEvent = {
    occurred_at: new Date().toISOString(),
    tenant_id: row.tenant_id,
    actor_type: "agent",
    actor_id: row.agent_id,
    actor_label: row.client_id,
    on_behalf_of: null,
    action: "decision.evaluate",
    target_type: "decision",
    target_id: id,
    outcome: "success",
    reason: "Permitted by the bare reference.",
    request_id: randomUUID(),
    ip: req.socket.remoteAddress ?? null,
    user_agent: req.headers["user-agent"] ?? null,
    data: {
      decision: "allow",
      code: "permitted",
      action: request.action,
      resource: request.resource,
      context: request.context,
    },
  };
  await pool.query({
    ...APPEND,
    values: [
      canonicalEvent(event),
      event.occurred_at,
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
      JSON.stringify(event.data),
    ],
  });
  return [200, { id, decision: "allow", code: "permitted" }];
}

async function route(req: http.IncomingMessage, body: string): Promise<[number, object]> {
  if (req.method === "POST" && req.url === "/introspect") return [200, await introspect(body)];
  if (req.method === "POST" && req.url === "/decide") return decide(req, body);
  return [404, { error: "not_found" }];
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    route(req, Buffer.concat(chunks).toString("utf8"))
      .catch((error: Error): [number, object] => [500, { error: error.message }])
      .then(([status, answer]) => {
        res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify(answer));
      });
  });
});
server.keepAliveTimeout = 0; // as bench/lib/api-server.ts: idle connections are the client's to close
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ origin: `http://127.0.0.1:${port}` })}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => pool.end().then(() => process.exit(0))));
}
