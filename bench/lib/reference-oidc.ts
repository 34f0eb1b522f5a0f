// The "oidc-provider alone" reference of bench/hot-paths.ts (issue 17): the library Mandate is
// built on, with client_credentials and introspection, opaque access tokens for a resource as
// Mandate issues them, the benchmark's clients configured statically (client_secret_basic), and a
// minimal adapter over plain pg: one table (id, payload jsonb, expires_at) in a schema of its own,
// upsert and find by id with named prepared statements. oidc-provider hashes nothing: the adapter
// stores what it is given. In a process of its own, so that its CPU can be read from /proc.
// Environment: DATABASE_URL, REFERENCE_CLIENTS (JSON: [{client_id, client_secret}]),
// REFERENCE_SCOPES (space-separated). Prints {"origin": ...} on its first line once it listens.
// Run with: node --import tsx --import ./scripts/server-only-hook.mjs bench/lib/reference-oidc.ts
import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Adapter, type AdapterPayload } from "oidc-provider";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
await pool.query(`CREATE SCHEMA IF NOT EXISTS oidc_reference;
  CREATE TABLE IF NOT EXISTS oidc_reference.payloads (id text PRIMARY KEY, payload jsonb NOT NULL, expires_at timestamptz)`);

const UPSERT = {
  name: "oidc-upsert",
  text: `INSERT INTO oidc_reference.payloads (id, payload, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET payload = EXCLUDED.payload, expires_at = EXCLUDED.expires_at`,
};
const FIND = {
  name: "oidc-find",
  text: "SELECT payload FROM oidc_reference.payloads WHERE id = $1 AND (expires_at IS NULL OR expires_at > now())",
};
const CONSUME = {
  name: "oidc-consume",
  text: "UPDATE oidc_reference.payloads SET payload = payload || jsonb_build_object('consumed', $2::bigint) WHERE id = $1",
};
const DESTROY = { name: "oidc-destroy", text: "DELETE FROM oidc_reference.payloads WHERE id = $1" };
const REVOKE_GRANT = {
  name: "oidc-revoke-grant",
  text: "DELETE FROM oidc_reference.payloads WHERE id LIKE $1 AND payload->>'grantId' = $2",
};

/** One model's rows, keyed "Model:id" in the one table. */
class PgAdapter implements Adapter {
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
    const expires = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
    await pool.query({ ...UPSERT, values: [this.key(id), payload, expires] });
  }
  async find(id: string) {
    return (await pool.query<{ payload: AdapterPayload }>({ ...FIND, values: [this.key(id)] })).rows[0]?.payload;
  }
  async findByUid() {
    return undefined; // sessions: not used by these grants
  }
  async findByUserCode() {
    return undefined; // device flow: not enabled
  }
  async consume(id: string) {
    await pool.query({ ...CONSUME, values: [this.key(id), Math.floor(Date.now() / 1000)] });
  }
  async destroy(id: string) {
    await pool.query({ ...DESTROY, values: [this.key(id)] });
  }
  async revokeByGrantId(grantId: string) {
    await pool.query({ ...REVOKE_GRANT, values: [`${this.model}:%`, grantId] });
  }
}

const clients = (
  JSON.parse(process.env.REFERENCE_CLIENTS ?? "[]") as { client_id: string; client_secret: string }[]
).map((c) => ({
  ...c,
  grant_types: ["client_credentials"],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: "client_secret_basic" as const,
  id_token_signed_response_alg: "ES256" as const,
}));
const scope = process.env.REFERENCE_SCOPES ?? "";
const signing = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });

const server = http.createServer();
server.keepAliveTimeout = 0; // as bench/lib/api-server.ts: idle connections are the client's to close
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const resource = `${origin}/api/v1`;

const provider = new Provider(origin, {
  adapter: PgAdapter,
  clients,
  jwks: { keys: [{ ...signing, kid: "bench", alg: "ES256", use: "sig" }] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  routes: { token: "/oauth/token", introspection: "/oauth/introspect", jwks: "/oauth/jwks" },
  responseTypes: ["code"],
  ttl: { ClientCredentials: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope,
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: "opaque",
      }),
    },
  },
});
server.on("request", provider.callback());
process.stdout.write(`${JSON.stringify({ origin })}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => pool.end().then(() => process.exit(0))));
}
