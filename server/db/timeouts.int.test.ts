import * as oauth from "oauth4webapi";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { createPolicy } from "@/server/policies/policies";
import { api, automationToken, clientToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import { testDatabaseUrl, testDb } from "@/tests/integration-setup";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { type Database, openDatabase } from "./client";
import { installDatabase } from "./index";

// A database that does not answer must not hang requests for as long as it is stuck, nor ever
// answer "allow": statement and connection-acquire timeouts fail the request fast with a 503 and
// Retry-After. Regression: requests hung while the database was frozen. A session holding an
// exclusive lock on the tokens table stands in for a frozen database (PostgreSQL only: PGlite is
// one connection in this process).

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("a database that does not answer", () => {
  let bounded: Database;
  let server: OAuthTestServer;
  let as: oauth.AuthorizationServer;
  let admin: UserCaller;
  let agent: { id: string; secret: string };
  let agentToken: string;
  let adminToken: string;
  let scope: string;
  let locker: pg.Client;

  beforeAll(async () => {
    server = await startApiTestServer();
    as = await discover(server);
    admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    scope = unique("frozen.read");
    const s = await createScope(admin, { name: scope, description: "Frozen", risk: "low", tenant: null });
    const role = await createRole(admin, { name: unique("frozen"), tenant: null, scopes: [s.id] });
    await createPolicy(admin, {
      name: unique("Frozen"),
      tenant: null,
      text: `permit (principal is Agent, action == Action::"${scope}", resource);`,
    });
    const row = await makeAgent(admin, tenant.id, { status: "active" });
    await assignRole(admin, row.id, role.id);
    agent = { id: row.id, secret: (await createCredential(admin, row.id, { type: "client_secret" })).secret as string };
    agentToken = await clientToken(as, agent.id, agent.secret, { scope });
    adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
    // From here on, the process's database is the same one behind production's timeouts.
    bounded = await openDatabase({
      databaseUrl: testDatabaseUrl() as string,
      timeouts: { statementMs: 800, acquireMs: 800 },
    });
    installDatabase(bounded);
    locker = new pg.Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.query("ROLLBACK").catch(() => {});
    await locker?.end();
    installDatabase(testDb());
    await bounded?.close();
    await server?.close();
  });

  const decide = () =>
    api(agentToken, "POST", "/decisions", { action: scope, resource: { type: "Document", id: "d" } });

  it("answers 503 with Retry-After within seconds, on every path, and never allows", async () => {
    expect((await decide()).body.decision).toBe("allow");
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE tokens IN ACCESS EXCLUSIVE MODE");
    try {
      const started = Date.now();
      // More requests at once than the pool holds connections: some wait for a statement, the
      // rest for a connection; every one of them gives up in time.
      const decisions = await Promise.all(Array.from({ length: 14 }, () => decide()));
      for (const r of decisions) {
        expect(r.status).toBe(503);
        expect(r.body).toMatchObject({ error: "temporarily_unavailable" });
        expect(r.body.decision).toBeUndefined();
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      }
      expect(Date.now() - started).toBeLessThan(8_000);

      const list = await api(adminToken, "GET", "/agents?tenant=nothing");
      expect(list.status).toBe(503);

      const introspection = await oauth.introspectionRequest(
        as,
        { client_id: agent.id },
        oauth.ClientSecretBasic(agent.secret),
        agentToken,
        insecure,
      );
      expect(introspection.status).toBe(503);
      expect(introspection.headers.get("retry-after")).toBeTruthy();
      const issued = await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: agent.id },
        oauth.ClientSecretBasic(agent.secret),
        new URLSearchParams({ scope }),
        insecure,
      );
      expect(issued.status).toBe(503);
    } finally {
      await locker.query("ROLLBACK");
    }
    // Once the database answers again, so does Mandate.
    expect((await decide()).body.decision).toBe("allow");
  });
});
