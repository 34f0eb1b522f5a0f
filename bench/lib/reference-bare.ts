// The bare reference of bench/hot-paths.ts (issue 17): what introspection and a chained, audited
// decision cost with nothing but node:http and a pg Pool of named prepared statements, on
// Mandate's own tables (DATABASE_URL: the benchmark's database, with real token rows). In a
// process of its own, so that its CPU can be read from /proc; prints {"origin": ...} on its first
// line of output once it listens.
// - POST /introspect (form body token=…): one SELECT by the token's hash, an RFC 7662 answer.
// - POST /decide (Authorization: Bearer, JSON body): the same SELECT, then Mandate's chained audit
//   append (server/audit/statements.ts's APPEND_ONE), then {"decision": "allow"}.
// Run with: node --import tsx --import ./scripts/server-only-hook.mjs bench/lib/reference-bare.ts
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { type ChainedEvent, canonicalEvent } from "../../lib/audit/chain";
import { APPEND_ONE, eventParams } from "../../server/audit/statements";
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

/** Mandate's own append of one chained event (server/audit/statements.ts), prepared under our name. */
const APPEND: Omit<pg.QueryConfig, "values"> = { name: "bare-audit-append", text: APPEND_ONE.text };

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
  const data = event.data === null ? null : JSON.stringify(event.data);
  await pool.query({ ...APPEND, values: eventParams({ event, canonical: canonicalEvent(event), data }) });
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
