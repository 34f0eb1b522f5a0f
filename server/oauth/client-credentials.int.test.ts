import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { verifyChain } from "@/server/audit-log/verify";
import { prisma } from "@/server/db";
import { purgeExpiredOAuthState } from "@/server/oauth/maintenance";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { testDatabaseUrl, testDb } from "@/tests/integration-setup";
import { type OAuthTestServer, startOAuthServer } from "@/tests/oauth-server";

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true };

beforeAll(async () => {
  server = await startOAuthServer();
  const issuer = new URL(server.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oauth2" }),
  );
});
afterAll(() => server?.close());

async function activeAgentWithSecret() {
  const tenant = await makeTenant();
  const admin = await makeCaller({ global: "security_admin" });
  const agent = await makeAgent(admin, tenant.id, { status: "active" });
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret", label: "test" });
  return { tenant, admin, agent, secret: secret as string };
}

describe("client credentials through a standard OAuth client", () => {
  it("discovery → token → introspection → revocation → inactive", async () => {
    const { agent, secret } = await activeAgentWithSecret();
    const client: oauth.Client = { client_id: agent.id };
    const auth = oauth.ClientSecretBasic(secret);

    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), insecure);
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.expires_in).toBe(600);

    const introspect = async () =>
      oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
      );
    const live = await introspect();
    expect(live.active).toBe(true);
    expect(live.client_id).toBe(agent.id);
    expect(live.tenant_id).toBe(agent.tenantId);

    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect((await introspect()).active).toBe(false);

    const rows = await (await prisma()).token.findMany({ where: { agentId: agent.id } });
    expect(rows).toHaveLength(1);
    // The credential's last use is on record (to the minute).
    const credential = await (await prisma()).credential.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(credential.lastUsedAt?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(rows)).not.toContain(tokens.access_token);
  });
});

describe("the hot paths' statements", () => {
  /** The names of the statements the database's driver runs while fn runs. */
  async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
    const sql = testDb().sql;
    const run = sql.run;
    const names: string[] = [];
    sql.run = (stmt, params) => {
      names.push(stmt.name);
      return run(stmt, params);
    };
    try {
      await fn();
      return names;
    } finally {
      sql.run = run;
    }
  }

  it("answers an introspection in one statement and issues a token in two, the event with it", async () => {
    const { agent, secret } = await activeAgentWithSecret();
    const client = { client_id: agent.id };
    const auth = oauth.ClientSecretBasic(secret);
    // The credential's last use is written once a minute: a first request takes that write.
    const first = await oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), insecure),
    );
    let token = "";
    expect(
      await statementsOf(async () => {
        const r = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), insecure);
        token = (await oauth.processClientCredentialsResponse(as, client, r)).access_token;
      }),
    ).toEqual(["oauth_agent_client", "oauth_upsert_token_audited"]);
    let active: boolean | undefined;
    expect(
      await statementsOf(async () => {
        const r = await oauth.introspectionRequest(as, client, auth, token, insecure);
        active = (await oauth.processIntrospectionResponse(as, client, r)).active;
      }),
    ).toEqual(["oauth_agent_client"]);
    expect(active).toBe(true);
    // What was read ahead serves only that request: a revocation counts from the next one.
    await (await prisma()).token.updateMany({ where: { agentId: agent.id }, data: { revokedAt: new Date() } });
    const after = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, first.access_token, insecure),
    );
    expect(after.active).toBe(false);
    // A wrong secret is still refused, whatever was read ahead for it.
    const wrong = await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(`${secret}x`), token, insecure);
    expect(wrong.status).toBe(401);
  });
});

describe("tokens issued at the same moment", () => {
  it("are written with their events in shared statements, each token with its own event", async () => {
    const { agent, secret } = await activeAgentWithSecret();
    const client = { client_id: agent.id };
    const auth = oauth.ClientSecretBasic(secret);
    const grant = async () =>
      (
        await oauth.processClientCredentialsResponse(
          as,
          client,
          await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), insecure),
        )
      ).access_token;
    await grant();
    const db = await prisma();
    const sql = testDb().sql;
    const run = sql.run;
    let writes = 0;
    sql.run = (stmt, params) => {
      if (stmt.name !== "oauth_agent_client") writes++;
      return run(stmt, params);
    };
    let values: string[];
    try {
      values = await Promise.all(Array.from({ length: 30 }, grant));
    } finally {
      sql.run = run;
    }
    expect(new Set(values).size).toBe(30);
    // One write per token at most (none failed and was retried alone); on PostgreSQL, whose pool
    // runs requests side by side, fewer: they were gathered. (PGlite runs one statement at a time,
    // so each token's write tends to come alone.)
    expect(writes).toBeGreaterThan(0);
    if (testDatabaseUrl()) expect(writes).toBeLessThan(30);
    else expect(writes).toBeLessThanOrEqual(30);
    const tokens = await db.token.findMany({ where: { agentId: agent.id }, select: { id: true } });
    expect(tokens).toHaveLength(31);
    const events = await db.auditEvent.findMany({
      where: { action: "oauth.token.issued", actorId: agent.id },
      select: { targetId: true },
    });
    expect(events.map((e) => e.targetId).sort()).toEqual(tokens.map((t) => t.id).sort());
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });
});

describe("purgeExpiredOAuthState", () => {
  it("deletes tokens a week past expiry and expired provider state, and keeps the rest", async () => {
    const { agent, secret } = await activeAgentWithSecret();
    const auth = oauth.ClientSecretBasic(secret);
    const client = { client_id: agent.id };
    for (let i = 0; i < 2; i++) {
      await oauth.processClientCredentialsResponse(
        as,
        client,
        await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), insecure),
      );
    }
    const db = await prisma();
    const [old, fresh] = await db.token.findMany({ where: { agentId: agent.id } });
    await db.token.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 8 * 86_400_000) } });
    await db.oidcPayload.create({
      data: { key: `test-${agent.id}`, model: "Interaction", payload: {}, expiresAt: new Date(Date.now() - 1000) },
    });
    await purgeExpiredOAuthState();
    expect((await db.token.findMany({ where: { agentId: agent.id } })).map((t) => t.id)).toEqual([fresh.id]);
    expect(await db.oidcPayload.count({ where: { key: `test-${agent.id}` } })).toBe(0);
  });
});
