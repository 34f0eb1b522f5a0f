import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { api, automationToken, clientToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { verifyChain } from "../audit-log/verify";
import { recordAudit } from "./record";

// Nothing is refused off the record. Regression: a value PostgreSQL cannot store in text (a NUL
// byte, an unpaired surrogate) in a recorded field made the audit insert fail while the refusal
// was still answered, so secret guessing left no trace. Now such text is escaped (the original
// kept, encoded, beside it) on every audited path, input that would be written elsewhere is
// refused with a 400 naming the field, and if a record cannot be written the answer is a 500.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let adminToken: string;
let agent: { id: string; secret: string; token: string };

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
  const scope = await createScope(admin, {
    name: unique("probe.read"),
    description: "Probe",
    risk: "low",
    tenant: null,
  });
  const role = await createRole(admin, { name: unique("probe"), tenant: null, scopes: [scope.id] });
  const row = await makeAgent(admin, tenant.id, { status: "active", name: "audit-failure-probe" });
  await assignRole(admin, row.id, role.id);
  const { secret } = await createCredential(admin, row.id, { type: "client_secret" });
  agent = { id: row.id, secret: secret as string, token: await clientToken(as, row.id, secret as string) };
});
afterAll(async () => {
  await server?.close();
});

const NUL = "\u0000";

function form(path: string, body: Record<string, string>, basic?: [string, string]) {
  return fetch(`${server.issuer}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(basic ? { authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString("base64")}` } : {}),
    },
    body: new URLSearchParams(body),
  });
}

async function lastEvent(action: string) {
  return (await prisma()).auditEvent.findFirstOrThrow({ where: { action }, orderBy: { seq: "desc" } });
}

describe("unstorable text on every audited path", () => {
  it("a token request with a NUL in its client id is refused and on record, the original kept encoded", async () => {
    for (const body of [
      { grant_type: "client_credentials", client_id: `ci${NUL}probe`, client_secret: "guess" },
      { grant_type: "client_credentials", client_id: `${NUL}`, client_secret: "guess" },
    ]) {
      const r = await form("/oauth/token", body);
      expect(r.status).toBe(401);
      const event = await lastEvent("oauth.token.refused");
      expect(event.actorLabel).toBe(body.client_id.replace(NUL, "\\u0000"));
      expect(event.data).toMatchObject({ _original: { actor_label: JSON.stringify(body.client_id) } });
    }
  });

  it("a scope with a NUL, and a secret with one, are refused and on record", async () => {
    const scoped = await form("/oauth/token", { grant_type: "client_credentials", scope: `a${NUL}b` }, [
      agent.id,
      agent.secret,
    ]);
    expect(scoped.status).toBe(400);
    const event = await lastEvent("oauth.token.refused");
    expect(event.actorId).toBe(agent.id);
    expect(JSON.stringify(event.data)).toContain("a\\\\u0000b");
    const before = (await lastEvent("oauth.token.refused")).seq;
    const guessed = await form("/oauth/token", {
      grant_type: "client_credentials",
      client_id: agent.id,
      client_secret: `x${NUL}y`,
    });
    expect([400, 401]).toContain(guessed.status);
    const refused = await lastEvent("oauth.token.refused");
    expect(refused.seq).toBeGreaterThan(before as bigint);
    expect(refused.actorId).toBe(agent.id);
  });

  it("introspection and revocation with a NUL in the client id are refused and on record", async () => {
    for (const [path, action] of [
      ["/oauth/token/introspection", "oauth.introspection.refused"],
      ["/oauth/token/revocation", "oauth.revocation.refused"],
    ] as const) {
      const endpoint = path.includes("introspection") ? as.introspection_endpoint : as.revocation_endpoint;
      const r = await fetch(endpoint as string, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: "t", client_id: `x${NUL}`, client_secret: "s" }),
      });
      expect(r.status, path).toBe(401);
      expect((await lastEvent(action)).actorLabel).toBe("x\\u0000");
    }
  });

  it("an API body carrying such text is refused with 400 naming the field, and changes nothing", async () => {
    const before = await (await prisma()).agent.count();
    for (const body of [
      { name: `bad${NUL}name`, tenant: tenant.slug, owner: admin.email, environment: "production" },
      {
        name: "ok-name",
        tenant: tenant.slug,
        owner: admin.email,
        environment: "production",
        attributes: { "k\ud800": "v" },
      },
    ]) {
      const r = await api(adminToken, "POST", "/agents", body);
      expect(r.status).toBe(400);
      expect(Object.keys(r.body.details as object).length).toBe(1);
    }
    expect(await (await prisma()).agent.count()).toBe(before);
    const decision = await api(agent.token, "POST", "/decisions", {
      action: "probe.read",
      resource: { type: "Document", id: `d${NUL}` },
    });
    expect(decision.status).toBe(400);
    expect(decision.body.details).toHaveProperty(["resource.id"]);
  });

  it("a record with unstorable text in every field is stored, escaped, and the chain still verifies", async () => {
    const db = await prisma();
    const weird = `x${NUL}\ud800y\udc01🦊`;
    await recordAudit(db, {
      action: "auth.sign_in",
      outcome: "failure",
      actor: { type: "anonymous", id: weird, label: weird },
      onBehalfOf: weird,
      target: { type: "client", id: weird },
      reason: weird,
      data: { [weird]: [weird, { nested: weird }] },
      meta: { requestId: weird, ip: weird, userAgent: weird },
    });
    const event = await lastEvent("auth.sign_in");
    const escaped = "x\\u0000\\ud800y\\udc01🦊";
    expect(event).toMatchObject({ actorId: escaped, actorLabel: escaped, reason: escaped, userAgent: escaped });
    expect((event.data as { _original: Record<string, string> })._original.reason).toBe(JSON.stringify(weird));
    const result = await verifyChain(db);
    expect(result.ok).toBe(true);
  });
});

describe("a record that cannot be written", () => {
  // A trigger stands in for any failure of the audit store (a full disk, a lost connection).
  beforeAll(async () => {
    const db = await prisma();
    await db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION mandate_test_refuse_probe() RETURNS trigger AS $$
      BEGIN
        IF NEW.actor_label IN ('audit-failure-probe', 'probe-client') OR NEW.actor_id = '${agent.id}' THEN
          RAISE EXCEPTION 'the audit store refuses this event (test)';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(
      "CREATE TRIGGER mandate_test_refuse_probe BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION mandate_test_refuse_probe()",
    );
  });
  afterAll(async () => {
    const db = await prisma();
    await db.$executeRawUnsafe("DROP TRIGGER IF EXISTS mandate_test_refuse_probe ON audit_events");
    await db.$executeRawUnsafe("DROP FUNCTION IF EXISTS mandate_test_refuse_probe()");
  });

  it("turns a refusal into a 500: the client is not told 'no' off the record", async () => {
    const r = await form("/oauth/token", {
      grant_type: "client_credentials",
      client_id: "probe-client",
      client_secret: "x",
    });
    expect(r.status).toBe(500);
    expect(await r.json()).toMatchObject({ error: "server_error" });
  });

  it("turns a decision into a 500: no answer without its record", async () => {
    const r = await api(agent.token, "POST", "/decisions", {
      action: "probe.read",
      resource: { type: "Document", id: "d" },
    });
    expect(r.status).toBe(500);
    expect(r.body.decision).toBeUndefined();
  });

  it("a token issued off the record is no token: issuance fails with a 500", async () => {
    const client: oauth.Client = { client_id: agent.id };
    const r = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(agent.secret),
      new URLSearchParams(),
      insecure,
    );
    expect(r.status).toBe(500);
  });
});
