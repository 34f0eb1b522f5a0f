import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { hashToken } from "@/server/oauth/hash";
import { api, automationToken, clientToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { crmDelegation } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { type Instance, startInstance } from "@/tests/instance";
import { testDatabaseUrl } from "@/tests/integration-setup";
import type { OAuthTestServer } from "@/tests/oauth-server";

// Revocation while the agent is busy, on two Mandate instances sharing one PostgreSQL (the second
// in a process of its own): requests keep coming on both while a grant is revoked through the
// first. Once the revoke call has returned, no request sent afterwards succeeds, on either
// instance. (A request already in flight when the revocation commits may still be answered with
// what it read before: that is ordering, not caching, and the test counts such requests apart.)

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("revocation under load, two instances (PostgreSQL)", () => {
  let a: OAuthTestServer;
  let b: Instance;
  let as: oauth.AuthorizationServer;
  let admin: UserCaller;

  beforeAll(async () => {
    a = await startApiTestServer();
    as = await discover(a);
    b = await startInstance({
      databaseUrl: testDatabaseUrl() as string,
      publicUrl: a.issuer,
      authSecret: a.config.authSecret,
    });
    admin = await makeCaller({ global: "security_admin" });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
  });

  it("after the revoke call returns, zero requests succeed on either instance", async () => {
    const { agent, secret, tokens, grant } = await crmDelegation(a, as, admin);
    const adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;

    // Instance B's introspection endpoint, found through its own discovery document.
    const client: oauth.Client = { client_id: agent.id };
    const auth = oauth.ClientSecretBasic(secret as string);
    const asB = { ...as, introspection_endpoint: `${b.origin}/oauth/introspect` };
    const requests: Record<string, () => Promise<boolean>> = {
      "decision on A": async () =>
        (
          await api(tokens.access_token, "POST", "/decisions", {
            action: "crm.read",
            resource: { type: "Contact", id: "c" },
          })
        ).body.decision === "allow",
      "decision on B": async () => {
        const response = await fetch(`${b.origin}/api/v1/decisions`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.access_token}`, "content-type": "application/json" },
          body: JSON.stringify({ action: "crm.read", resource: { type: "Contact", id: "c" } }),
        });
        return ((await response.json()) as { decision: string }).decision === "allow";
      },
      "introspection on B": async () =>
        (
          await oauth.processIntrospectionResponse(
            asB,
            client,
            await oauth.introspectionRequest(asB, client, auth, tokens.access_token, insecure),
          )
        ).active,
      "refresh token introspection on A": async () =>
        (
          await oauth.processIntrospectionResponse(
            as,
            client,
            await oauth.introspectionRequest(as, client, auth, tokens.refresh_token as string, insecure),
          )
        ).active,
    };

    interface Seen {
      kind: string;
      sentAt: number;
      doneAt: number;
      ok: boolean;
    }
    const seen: Seen[] = [];
    let stop = false;
    let revoking = false;
    const worker = async (kind: string) => {
      while (!stop) {
        const sentAt = performance.now();
        const ok = await requests[kind]();
        seen.push({ kind, sentAt, doneAt: performance.now(), ok });
      }
    };
    // Two workers per kind: eight requests in flight at any moment.
    const workers = Object.keys(requests).flatMap((kind) => [worker(kind), worker(kind)]);

    // Traffic flows and succeeds on both instances before the revocation (each kind a few times,
    // past the second process's warm-up)...
    const warm = () => Object.keys(requests).every((k) => seen.filter((s) => s.kind === k && s.ok).length >= 5);
    while (!warm()) await new Promise((r) => setTimeout(r, 10));
    revoking = true;
    const revokeSentAt = performance.now();
    const revoked = await api(adminToken, "DELETE", `/grants/${grant.id}`, { reason: "incident drill" });
    const returnedAt = performance.now();
    expect(revoked.body).toEqual({ grants: 1, tokens: 2 });
    // ...and keeps coming for a while after it.
    while (seen.filter((s) => s.sentAt > returnedAt).length < 80) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(workers);
    expect(revoking).toBe(true);

    const before = seen.filter((s) => s.doneAt < revokeSentAt);
    const after = seen.filter((s) => s.sentAt > returnedAt);
    expect(before.filter((s) => s.ok).length).toBeGreaterThanOrEqual(20);
    expect(new Set(before.filter((s) => s.ok).map((s) => s.kind)).size).toBe(4);
    // Every kind was tried after the return, and none succeeded.
    expect(new Set(after.map((s) => s.kind)).size).toBe(4);
    expect(after.filter((s) => s.ok)).toEqual([]);
  });

  it("token exchange racing a revocation on the other instance never leaves a live token below a revoked one", async () => {
    const tenant = await makeTenant();
    const scope = await createScope(admin, {
      name: "reports.read",
      description: "Read",
      risk: "low",
      tenant: tenant.id,
    });
    const role = await createRole(admin, { name: "reader", tenant: tenant.id, scopes: [scope.id] });
    const withSecret = async () => {
      const made = await makeAgent(admin, tenant.id, { status: "active" });
      await assignRole(admin, made.id, role.id);
      return { ...made, secret: (await createCredential(admin, made.id, { type: "client_secret" })).secret as string };
    };
    const { secret, ...agent } = await withSecret();
    const { secret: helperSecret, ...helper } = await withSecret();
    const adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
    const basic = (id: string, s: string) => `Basic ${Buffer.from(`${id}:${s}`).toString("base64")}`;
    const issued: string[] = [];

    /** A token exchange by the helper, sent to instance B; the new token's value if granted. */
    const exchangeOnB = async (subject: string) => {
      const response = await fetch(`${b.origin}/oauth/token`, {
        method: "POST",
        headers: { authorization: basic(helper.id, helperSecret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: subject,
          subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
        }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (body.access_token) issued.push(body.access_token);
      return body.access_token;
    };

    const db = await prisma();
    let granted = 0;
    let refused = 0;
    for (let round = 0; round < 12; round++) {
      const origin = await clientToken(as, agent.id, secret, { scope: scope.name });
      const row = await db.token.findUniqueOrThrow({ where: { hash: hashToken(origin) } });
      // Exchanges on B (some of them re-exchanging what they got), and the origin revoked on A,
      // at once; the revocation lands at a different point of the exchanges each round.
      const exchanges = Array.from({ length: 6 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * round));
        const first = await exchangeOnB(origin);
        if (first && i % 2 === 0) await exchangeOnB(first);
        return first;
      });
      await new Promise((r) => setTimeout(r, round * 2));
      const revoked = await api(adminToken, "DELETE", `/tokens/${row.id}`, { reason: `race ${round}` });
      expect(revoked.status).toBe(200);
      for (const t of await Promise.all(exchanges)) t ? granted++ : refused++;
    }
    // The race went both ways, and nothing below a revoked token is live, in the rows...
    expect(granted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    const orphans = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM tokens c
        WHERE c.revoked_at IS NULL AND c.expires_at > now() AND c.depth > 0
          AND EXISTS (SELECT 1 FROM tokens p WHERE p.id = ANY(c.ancestors::uuid[]) AND p.revoked_at IS NOT NULL)`,
    );
    expect(orphans[0].n).toBe(0);
    // ...or to either instance.
    const client: oauth.Client = { client_id: helper.id };
    const auth = oauth.ClientSecretBasic(helperSecret);
    const asB = { ...as, introspection_endpoint: `${b.origin}/oauth/introspect` };
    for (const token of issued) {
      for (const server of [as, asB]) {
        const seen = await oauth.processIntrospectionResponse(
          server,
          client,
          await oauth.introspectionRequest(server, client, auth, token, insecure),
        );
        expect(seen.active).toBe(false);
      }
    }
  });
});
