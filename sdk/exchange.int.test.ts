import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { createPolicy } from "@/server/policies/policies";
import { startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { MandateClient, MandateDeniedError, MandateOAuthError } from "./src/index";

// Token exchange (RFC 8693) through the SDK against the real server: a planner hands its token to
// a researcher, which hands a narrower one to a runner; widening is refused with the server's
// OAuth error; decisions are asked with the exchanged token, not the runner's own.

let server: OAuthTestServer;
let admin: UserCaller;
const FAST = { baseDelayMs: 1, maxDelayMs: 20 };

beforeAll(async () => {
  server = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
});
afterAll(() => server?.close());

/** A tenant with a planner (read, write, pay), a researcher (read, write) and a runner (read). */
async function world() {
  const tenant = await makeTenant();
  const tag = `x${Math.random().toString(36).slice(2, 8)}`;
  const scopeIds = new Map<string, string>();
  const scope = async (name: string) => {
    const created = await createScope(admin, {
      name: `${name}.${tag}`,
      description: name,
      risk: "low",
      tenant: tenant.id,
    });
    scopeIds.set(created.name, created.id);
    return created.name;
  };
  const [read, write, pay] = [await scope("crm.read"), await scope("crm.write"), await scope("payments.create")];
  const agent = async (name: string, scopes: string[]) => {
    const ids = scopes.map((s) => scopeIds.get(s) ?? "");
    const role = await createRole(admin, { name: `${name}-${tag}`, tenant: tenant.id, scopes: ids });
    const a = await makeAgent(admin, tenant.id, { status: "active", name: `${name}-${tag}` });
    await assignRole(admin, a.id, role.id);
    const { secret } = await createCredential(admin, a.id, { type: "client_secret" });
    return new MandateClient(
      { issuer: server.issuer, clientId: a.id, clientSecret: secret as string },
      { scope: scopes, retry: FAST },
    );
  };
  return {
    tenant,
    read,
    write,
    pay,
    planner: await agent("planner", [read, write, pay]),
    researcher: await agent("researcher", [read, write]),
    runner: await agent("runner", [read]),
  };
}

describe("exchange() (RFC 8693)", () => {
  it("planner → researcher → runner: each hop narrower, the chain answered by introspection", async () => {
    const w = await world();
    const origin = await w.planner.token();
    expect(origin.scope.split(" ").sort()).toEqual([w.read, w.write, w.pay].sort());

    const hop1 = await w.researcher.exchange({ subjectToken: origin, scope: [w.read, w.write] });
    expect(hop1.scope.split(" ").sort()).toEqual([w.read, w.write].sort());
    expect(hop1.expires_at).toBeLessThanOrEqual(origin.expires_at + 1);

    const hop2 = await w.runner.exchange({
      subjectToken: hop1.access_token,
      scope: w.read,
      expiresIn: 120,
      actorToken: await w.runner.token(),
    });
    expect(hop2.scope).toBe(w.read);
    expect(hop2.token_type).toMatch(/^bearer$/i);
    expect(hop2.expires_at - Date.now() / 1000).toBeLessThanOrEqual(121);
    // exchange() does not replace the runner's own cached token.
    expect(await w.runner.getAccessToken()).not.toBe(hop2.access_token);

    const info = await w.runner.introspect(hop2.access_token);
    expect(info).toMatchObject({ active: true, client_id: w.runner.clientId, sub: w.planner.clientId, depth: 2 });
    expect(info.act).toEqual({
      sub: w.runner.clientId,
      client_id: w.runner.clientId,
      act: { sub: w.researcher.clientId, client_id: w.researcher.clientId },
    });

    // Revoking the middle token cuts the runner off.
    await w.researcher.revoke(hop1.access_token);
    expect((await w.runner.introspect(hop2.access_token)).active).toBe(false);
    expect((await w.planner.introspect(origin.access_token)).active).toBe(true);
  });

  it("a widening is refused with the server's OAuth error, never trimmed", async () => {
    const w = await world();
    const hop1 = await w.researcher.exchange({ subjectToken: await w.planner.token(), scope: w.read });
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => expect.unreachable("exchange allowed"),
        (e: unknown) => e,
      );

    // More scope than the subject token carries.
    const wider = await refusal(w.runner.exchange({ subjectToken: hop1, scope: [w.read, w.write] }));
    expect(wider).toBeInstanceOf(MandateOAuthError);
    expect(wider).toMatchObject({ error: "invalid_scope", status: 400 });
    // A scope the runner's own roles do not allow, though the subject has it.
    const beyondRoles = await refusal(w.runner.exchange({ subjectToken: await w.planner.token(), scope: w.pay }));
    expect(beyondRoles).toMatchObject({ error: "invalid_scope" });
    // Another audience.
    const elsewhere = await refusal(
      w.runner.exchange({ subjectToken: hop1, audience: "https://elsewhere.example/api" }),
    );
    expect(elsewhere).toMatchObject({ error: "invalid_target" });
    // Outliving the subject token.
    const longer = await refusal(w.runner.exchange({ subjectToken: hop1, expiresIn: 3600 }));
    expect(longer).toMatchObject({ error: "invalid_request" });
    // A token that is no token.
    const dead = await refusal(w.runner.exchange({ subjectToken: "not-a-token" }));
    expect(dead).toMatchObject({ error: "invalid_grant" });
  });

  it("decides with the exchanged token: its scopes and its chain, not the agent's own token", async () => {
    const w = await world();
    await createPolicy(admin, {
      name: "read, not through the researcher",
      tenant: w.tenant.id,
      text: `permit (principal, action == Action::"${w.read}", resource) unless { context.chain.contains(Agent::"${w.researcher.clientId}") };`,
    });
    await createPolicy(admin, {
      name: "payments only at depth 0",
      tenant: w.tenant.id,
      text: `permit (principal, action == Action::"${w.pay}", resource) when { context.depth == 0 };`,
    });
    const ask = { action: w.read, resource: { type: "Document" as const, id: "d-1" } };

    // The runner's own token may read; the same runner acting through the researcher may not.
    expect((await w.runner.actions.check(ask)).decision).toBe("allow");
    const hop1 = await w.researcher.exchange({ subjectToken: await w.planner.token(), scope: w.read });
    const hop2 = await w.runner.exchange({ subjectToken: hop1 });
    const viaChain = w.runner.withToken(hop2);
    expect(await viaChain.actions.check(ask)).toMatchObject({ decision: "deny", code: "no_permitting_policy" });
    await expect(viaChain.actions.guard(ask)).rejects.toBeInstanceOf(MandateDeniedError);

    // The planner narrowing its own token is a hop too: depth 1, so no payments with it.
    const pay = { action: w.pay, resource: { type: "Payment" as const, id: "p-1" } };
    expect((await w.planner.actions.check(pay)).decision).toBe("allow");
    const narrowed = await w.planner.exchange({ subjectToken: await w.planner.token(), scope: [w.pay] });
    expect((await w.planner.withToken(narrowed).actions.check(pay)).decision).toBe("deny");

    // A revoked exchanged token is answered as such: no fresh token is fetched behind the caller's back.
    await w.runner.revoke(hop2.access_token);
    expect(await viaChain.actions.check(ask)).toMatchObject({ decision: "deny", code: "token_revoked" });
  });
});
