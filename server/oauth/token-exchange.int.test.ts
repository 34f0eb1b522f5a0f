import fc from "fast-check";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { transitionAgent } from "@/server/agents/transition-agent";
import { verifyChain } from "@/server/audit-log/verify";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { prisma } from "@/server/db";
import { killAgent, previewRevocation, revokeGrant, withdrawTenantConsent } from "@/server/grants/revoke";
import { EXCHANGE_PARAMETERS } from "@/server/oauth/exchange";
import { revokeToken } from "@/server/oauth/tokens";
import { createPolicy } from "@/server/policies/policies";
import { startApiTestServer } from "@/tests/admin-api";
import { crmDelegation } from "@/tests/consent-flow";
import { makeAgent, makeCaller } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { ACCESS, EXCHANGE, exchangeKit } from "@/tests/token-exchange";

// RFC 8693 token exchange through a standard OAuth client (oauth4webapi's generic token endpoint
// request): each hop narrows, who may act is enforced, the chain is answered by introspection and
// seen by Cedar, and revoking anything in a chain revokes what is below it.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
const insecure = { [oauth.allowInsecureRequests]: true };

beforeAll(async () => {
  server = await startApiTestServer();
  const issuer = new URL(server.issuer);
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oauth2" }),
  );
  admin = await makeCaller({ global: "security_admin" });
});
afterAll(() => server?.close());

/** POST /api/v1/decisions with the agent's token, as an agent calls it. */
async function decide(token: string, body: object): Promise<{ decision: string; code: string; reason: string }> {
  const response = await fetch(`${server.issuer}/api/v1/decisions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

const { world, clientCredentials, exchange, exchanged, introspect } = exchangeKit(() => ({ as, admin }));

describe("token exchange (RFC 8693)", () => {
  it("narrows at every hop, and introspection answers the chain hop by hop", async () => {
    const w = await world();
    const origin = await clientCredentials(w.planner, `${w.scopes.read} ${w.scopes.write} ${w.scopes.pay}`);
    expect(origin.scope?.split(" ").sort()).toEqual([w.scopes.read, w.scopes.pay, w.scopes.write].sort());

    const hop1 = await exchanged(w.researcher, origin.access_token, { scope: `${w.scopes.read} ${w.scopes.write}` });
    expect(hop1.issued_token_type).toBe(ACCESS);
    expect(hop1.scope?.split(" ").sort()).toEqual([w.scopes.read, w.scopes.write].sort());
    const hop2 = await exchanged(w.runner, hop1.access_token, { scope: w.scopes.read });
    expect(hop2.scope).toBe(w.scopes.read);

    const [o, h1, h2] = [
      await introspect(w.planner, origin.access_token),
      await introspect(w.researcher, hop1.access_token),
      await introspect(w.runner, hop2.access_token),
    ];
    expect(h2.active).toBe(true);
    expect(h2.client_id).toBe(w.runner.id);
    expect(h2.sub).toBe(w.planner.id);
    expect(h2.depth).toBe(2);
    expect(h2.act).toEqual({
      sub: w.runner.id,
      client_id: w.runner.id,
      act: { sub: w.researcher.id, client_id: w.researcher.id },
    });
    expect(h1.act).toEqual({ sub: w.researcher.id, client_id: w.researcher.id });
    expect(o.act).toBeUndefined();
    // Lifetimes never grow down the chain; the audience stays the parent's.
    expect(Number(h1.exp)).toBeLessThanOrEqual(Number(o.exp));
    expect(Number(h2.exp)).toBeLessThanOrEqual(Number(h1.exp));
    expect(h2.aud).toEqual(o.aud);

    const rows = await (await prisma()).token.findMany({
      where: { agentId: { in: [w.planner.id, w.researcher.id, w.runner.id] } },
      orderBy: { depth: "asc" },
    });
    expect(rows.map((r) => r.depth)).toEqual([0, 1, 2]);
    expect(rows[2].parentId).toBe(rows[1].id);
    expect(rows[2].ancestors).toEqual([rows[0].id, rows[1].id]);
    expect(rows[2].chainAgents).toEqual([w.planner.id, w.researcher.id, w.runner.id]);
    expect(JSON.stringify(rows)).not.toContain(hop2.access_token);

    // Each exchange is on record with its chain and the scopes asked for and granted.
    const events = await (await prisma()).auditEvent.findMany({
      where: { action: "oauth.token.exchanged", actorId: w.runner.id },
    });
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({
      parent: rows[1].id,
      depth: 2,
      chain: [w.planner.id, w.researcher.id, w.runner.id],
      requested_scopes: [w.scopes.read],
      scopes: [w.scopes.read],
    });
  });

  it("refuses every widening: scope, audience, lifetime; nothing is trimmed silently", async () => {
    const w = await world();
    const origin = await clientCredentials(w.planner, `${w.scopes.read} ${w.scopes.write}`);
    // Beyond the parent's scopes (the planner's role has payments, this token does not).
    const beyondParent = await exchange(w.researcher, origin.access_token, {
      scope: `${w.scopes.read} ${w.scopes.pay}`,
    });
    expect(beyondParent).toMatchObject({ error: "invalid_scope" });
    // Beyond the actor's own roles (the runner only reads).
    const beyondActor = await exchange(w.runner, origin.access_token, { scope: `${w.scopes.read} ${w.scopes.write}` });
    expect(beyondActor).toMatchObject({ error: "invalid_scope" });
    expect((beyondActor as { description: string }).description).toContain(w.scopes.write);
    // No scope asked: the parent's, which the runner's roles do not cover: refused, not trimmed.
    expect(await exchange(w.runner, origin.access_token)).toMatchObject({ error: "invalid_scope" });
    // Another audience.
    expect(
      await exchange(w.researcher, origin.access_token, {
        scope: w.scopes.read,
        resource: "https://elsewhere.example/",
      }),
    ).toMatchObject({ error: "invalid_target" });
    expect(
      await exchange(w.researcher, origin.access_token, {
        scope: w.scopes.read,
        audience: "https://elsewhere.example/",
      }),
    ).toMatchObject({ error: "invalid_target" });
    // A lifetime past the parent's.
    expect(
      await exchange(w.researcher, origin.access_token, { scope: w.scopes.read, expires_in: "3600" }),
    ).toMatchObject({ error: "invalid_request" });
    // Not an access token type, and not a token at all.
    expect(
      await exchange(w.researcher, origin.access_token, {
        subject_token_type: "urn:ietf:params:oauth:token-type:refresh_token",
      }),
    ).toMatchObject({ error: "invalid_request" });
    expect(await exchange(w.researcher, "not-a-token", { scope: w.scopes.read })).toMatchObject({
      error: "invalid_grant",
    });
    // Within all three: granted, with the lifetime asked for.
    const ok = await exchanged(w.researcher, origin.access_token, { scope: w.scopes.read, expires_in: "60" });
    expect(ok.expires_in).toBeLessThanOrEqual(60);
    // Each refusal is on record with its reason.
    const refusals = await (await prisma()).auditEvent.findMany({
      where: { action: "oauth.token.refused", tenantId: w.tenant.id, data: { path: ["grant_type"], equals: EXCHANGE } },
    });
    expect(refusals.length).toBeGreaterThanOrEqual(8);
    expect(refusals.map((r) => r.reason).join("\n")).toContain("scope not allowed for this agent");
  });

  it("enforces may_act: only the agents the token names may act on it", async () => {
    const w = await world({ plannerDelegatesTo: "researcher" });
    const origin = await clientCredentials(w.planner, w.scopes.read);
    const seen = await introspect(w.planner, origin.access_token);
    expect(seen.may_act).toEqual({ tenant_id: w.tenant.id, client_id: [w.researcher.id] });

    const refused = await exchange(w.runner, origin.access_token, { scope: w.scopes.read });
    expect(refused).toMatchObject({ error: "invalid_grant" });
    expect((refused as { description: string }).description).toContain("may_act");
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "oauth.token.refused", actorId: w.runner.id },
    });
    expect(event.reason).toContain("may not act");
    await exchanged(w.researcher, origin.access_token, { scope: w.scopes.read });

    // Another tenant's agent may never act, whatever the list.
    const other = await world();
    expect(await exchange(other.runner, origin.access_token, { scope: w.scopes.read })).toMatchObject({
      error: "invalid_grant",
    });
    // The default: any active agent of the tenant.
    const open = await world();
    const t = await clientCredentials(open.planner, open.scopes.read);
    await exchanged(open.outsider, t.access_token, { scope: open.scopes.read });
  });

  it("caps the depth per tenant, and re-exchanging keeps the whole chain", async () => {
    const w = await world({ maxDepth: 2 });
    const origin = await clientCredentials(w.planner, w.scopes.read);
    const hop1 = await exchanged(w.researcher, origin.access_token);
    const hop2 = await exchanged(w.runner, hop1.access_token);
    const hop3 = await exchange(w.outsider, hop2.access_token);
    expect(hop3).toMatchObject({ error: "invalid_grant" });
    expect((hop3 as { description: string }).description).toContain("at most 2");

    const deeper = await world();
    const o = await clientCredentials(deeper.planner, deeper.scopes.read);
    const a = await exchanged(deeper.researcher, o.access_token);
    const b = await exchanged(deeper.runner, a.access_token);
    // The runner re-exchanges its own delegated token: the chain is kept, and grows by its hop.
    const again = await exchanged(deeper.runner, b.access_token, { expires_in: "30" });
    const seen = await introspect(deeper.runner, again.access_token);
    expect(seen.depth).toBe(3);
    expect(seen.sub).toBe(deeper.planner.id);
    expect(seen.act).toEqual({
      sub: deeper.runner.id,
      client_id: deeper.runner.id,
      act: {
        sub: deeper.runner.id,
        client_id: deeper.runner.id,
        act: { sub: deeper.researcher.id, client_id: deeper.researcher.id },
      },
    });
  });

  it("revoking the middle token kills the one below and leaves the one above", async () => {
    const w = await world();
    const origin = await clientCredentials(w.planner, w.scopes.read);
    const hop1 = await exchanged(w.researcher, origin.access_token);
    const hop2 = await exchanged(w.runner, hop1.access_token);
    const db = await prisma();
    const middle = await db.token.findFirstOrThrow({ where: { agentId: w.researcher.id } });
    await revokeToken(admin, middle.id, { reason: "middle hop compromised" });
    expect((await introspect(w.runner, hop2.access_token)).active).toBe(false);
    expect((await introspect(w.researcher, hop1.access_token)).active).toBe(false);
    expect((await introspect(w.planner, origin.access_token)).active).toBe(true);
    const below = await db.token.findFirstOrThrow({ where: { agentId: w.runner.id } });
    expect(below.revokedAt).not.toBeNull();
    // And a decision with the token below is refused at once.
    const answer = await decide(hop2.access_token, { action: w.scopes.read, resource: { type: "Document", id: "d" } });
    expect(answer.decision).toBe("deny");
    // The revocation endpoint cascades too.
    const again1 = await exchanged(w.researcher, origin.access_token);
    const again2 = await exchanged(w.runner, again1.access_token);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(
        as,
        { client_id: w.researcher.id },
        oauth.ClientSecretBasic(w.researcher.secret),
        again1.access_token,
        insecure,
      ),
    );
    expect((await introspect(w.runner, again2.access_token)).active).toBe(false);
    expect(
      (await db.token.findFirstOrThrow({ where: { agentId: w.runner.id }, orderBy: { createdAt: "desc" } })).revokedAt,
    ).not.toBeNull();
  });

  it("suspending the first agent revokes everything downstream, in its transaction", async () => {
    const w = await world();
    const origin = await clientCredentials(w.planner, w.scopes.read);
    const hop1 = await exchanged(w.researcher, origin.access_token);
    const hop2 = await exchanged(w.runner, hop1.access_token);
    await transitionAgent(admin, w.planner.id, { transition: "suspend", reason: "investigation" });
    expect((await introspect(w.researcher, hop1.access_token)).active).toBe(false);
    expect((await introspect(w.runner, hop2.access_token)).active).toBe(false);
    const db = await prisma();
    const downstream = await db.token.findMany({ where: { agentId: { in: [w.researcher.id, w.runner.id] } } });
    expect(downstream.every((t) => t.revokedAt)).toBe(true);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "agent.suspend", targetId: w.planner.id } });
    expect(event.data).toMatchObject({ after: { downstream_tokens_revoked: 2 } });
    // Resuming the planner does not bring the chain back.
    await transitionAgent(admin, w.planner.id, { transition: "resume", reason: "cleared" });
    expect((await introspect(w.runner, hop2.access_token)).active).toBe(false);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("withdrawing the tenant's consent from the middle agent, or its kill switch, revokes what is below it, counted in the impact", async () => {
    for (const how of ["consent", "kill"] as const) {
      const w = await world();
      const origin = await clientCredentials(w.planner, w.scopes.read);
      const hop1 = await exchanged(w.researcher, origin.access_token);
      const hop2 = await exchanged(w.runner, hop1.access_token);
      // The impact line counts the researcher's own token and the runner's below it.
      expect(await previewRevocation(admin, { kind: how, agent: w.researcher.id })).toMatchObject({ tokens: 2 });
      const result =
        how === "consent"
          ? await withdrawTenantConsent(admin, w.researcher.id, { reason: "drill" })
          : await killAgent(admin, w.researcher.id, { reason: "drill" });
      expect(result).toMatchObject({ tokens: 2 });
      expect((await introspect(w.runner, hop2.access_token)).active).toBe(false);
      expect((await introspect(w.planner, origin.access_token)).active).toBe(true);
      const below = await (await prisma()).token.findFirstOrThrow({ where: { agentId: w.runner.id } });
      expect(below.revokedReason).toBe("drill");
    }
  });

  it("a person's grant: exchanged tokens carry the person, and revoking the grant kills them all", async () => {
    const { agent, secret, tokens, grant, scope } = await crmDelegation(server, as, admin);
    const role = await createRole(admin, {
      name: `helper-${Math.random().toString(36).slice(2, 8)}`,
      tenant: agent.tenantId,
      scopes: [scope.id],
    });
    const helper = await makeAgent(admin, agent.tenantId, { status: "active" });
    await assignRole(admin, helper.id, role.id);
    const helperSecret = (await createCredential(admin, helper.id, { type: "client_secret" })).secret as string;
    const h = { id: helper.id, tenantId: helper.tenantId, secret: helperSecret };
    const hop = await exchanged(h, tokens.access_token);
    const seen = await introspect(h, hop.access_token);
    expect(seen.sub).toBe(grant.userId);
    expect(seen.act).toEqual({ sub: helper.id, client_id: helper.id, act: { sub: agent.id, client_id: agent.id } });
    const db = await prisma();
    const row = await db.token.findFirstOrThrow({ where: { agentId: helper.id } });
    expect(row.grantId).toBe(grant.id);
    expect(row.subjectId).toBe(grant.userId);

    // The decision sees the person and the chain.
    const allowed = await decide(hop.access_token, { action: scope.name, resource: { type: "Contact", id: "c-1" } });
    expect(allowed).toMatchObject({ decision: "allow" });

    await revokeGrant(admin, grant.id, { reason: "person left" });
    expect((await introspect(h, hop.access_token)).active).toBe(false);
    expect((await db.token.findUniqueOrThrow({ where: { id: row.id } })).revokedAt).not.toBeNull();
    expect((await introspect({ id: agent.id, secret }, tokens.access_token)).active).toBe(false);
  });

  it("Cedar sees context.chain and context.depth, and decides as written", async () => {
    const w = await world();
    await createPolicy(admin, {
      name: "read",
      tenant: w.tenant.id,
      text: `permit (principal, action == Action::"${w.scopes.read}", resource);`,
    });
    await createPolicy(admin, {
      name: "payments at depth 0 only",
      tenant: w.tenant.id,
      text: `permit (principal, action == Action::"${w.scopes.pay}", resource) when { context.depth == 0 };`,
    });
    await createPolicy(admin, {
      name: "never through the researcher",
      tenant: w.tenant.id,
      text: `forbid (principal, action == Action::"${w.scopes.read}", resource) when { context.chain.contains(Agent::"${w.researcher.id}") };`,
    });
    const origin = await clientCredentials(w.planner, `${w.scopes.read} ${w.scopes.write} ${w.scopes.pay}`);
    const ask = (token: string, action: string) => decide(token, { action, resource: { type: "Document", id: "d-1" } });
    expect(await ask(origin.access_token, w.scopes.pay)).toMatchObject({ decision: "allow" });
    expect((await ask(origin.access_token, w.scopes.read)).decision).toBe("allow");

    // The planner narrows its own token (a hop, depth 1): payments are no longer permitted.
    const self = await exchanged(w.planner, origin.access_token, { scope: `${w.scopes.pay} ${w.scopes.read}` });
    expect((await ask(self.access_token, w.scopes.pay)).decision).toBe("deny");
    expect((await ask(self.access_token, w.scopes.read)).decision).toBe("allow");

    // Through the researcher, reading is forbidden, even two hops down.
    const viaResearcher = await exchanged(w.researcher, origin.access_token, { scope: w.scopes.read });
    const runner = await exchanged(w.runner, viaResearcher.access_token);
    const denied = await ask(runner.access_token, w.scopes.read);
    expect(denied).toMatchObject({ decision: "deny", code: "forbidden_by_policy" });
    // The decision is on record with the chain it was decided through.
    const record = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "decision.evaluate", actorId: w.runner.id },
      orderBy: { seq: "desc" },
    });
    expect(record.data).toMatchObject({ depth: 2, chain: [w.planner.id, w.researcher.id, w.runner.id] });
    // Not through the researcher: allowed.
    const direct = await exchanged(w.runner, origin.access_token, { scope: w.scopes.read });
    expect((await ask(direct.access_token, w.scopes.read)).decision).toBe("allow");
  });

  it("answers generated exchange requests with a 4xx or a token never wider than its parent, and a refusal writes no token", async () => {
    const w = await world();
    const origin = await clientCredentials(w.planner, `${w.scopes.read} ${w.scopes.write}`);
    const parent = await introspect(w.planner, origin.access_token);
    const actorOwn = await clientCredentials(w.researcher, w.scopes.read);
    const db = await prisma();
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.constantFrom("\u0000", "%00", "a".repeat(5000), "-1", "0", "1e9", "60", "3600", " "),
    );
    const scopeValue = fc.oneof(
      fc.subarray([w.scopes.read, w.scopes.write, w.scopes.pay, "email.send"]).map((s) => s.join(" ")),
      text,
    );
    // A valid request (the parent's token, some of its scopes), with up to two fields replaced or
    // added by generated values: about half of them are still valid, the rest are not.
    const field = fc.constantFrom(...EXCHANGE_PARAMETERS);
    const value = fc.oneof(
      text,
      scopeValue,
      fc.constantFrom(origin.access_token, actorOwn.access_token, ACCESS, String(parent.aud)),
    );
    const request = fc
      .record({
        scope: fc.subarray([w.scopes.read, w.scopes.write], { minLength: 1 }).map((s) => s.join(" ")),
        changes: fc.array(fc.tuple(field, value), { maxLength: 2 }),
      })
      .map(({ scope, changes }) => ({
        subject_token: origin.access_token,
        subject_token_type: ACCESS,
        scope,
        ...Object.fromEntries(changes),
      }));
    let granted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(request, async (fields) => {
        const body = new URLSearchParams({ grant_type: EXCHANGE });
        for (const [k, v] of Object.entries(fields)) {
          try {
            body.append(k, v as string);
          } catch {
            // unencodable: skip
          }
        }
        const before = await db.token.count();
        const response = await fetch(as.token_endpoint as string, {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${w.researcher.id}:${w.researcher.secret}`).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body,
        });
        const answer = (await response.json()) as { access_token?: string; scope?: string; error?: string };
        if (response.status !== 200) {
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(typeof answer.error).toBe("string");
          expect(await db.token.count()).toBe(before);
          refused++;
          return;
        }
        granted++;
        // Granted: within the parent's scopes and the researcher's roles, never outliving the parent.
        const seen = await introspect(w.researcher, answer.access_token as string);
        const scopes = String(seen.scope).split(" ");
        const subject =
          fields.subject_token === origin.access_token ? parent : await introspect(w.researcher, actorOwn.access_token);
        for (const scope of scopes) {
          expect(String(subject.scope).split(" ")).toContain(scope);
          expect([w.scopes.read, w.scopes.write]).toContain(scope);
        }
        expect(Number(seen.exp)).toBeLessThanOrEqual(Number(subject.exp));
        expect(seen.aud).toEqual(subject.aud);
      }),
      { numRuns: 150 },
    );
    // Both sides of the property were exercised.
    expect(granted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
