import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { updateAgent } from "@/server/agents/update-agent";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { createPolicy } from "@/server/policies/policies";
import { startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { type FetchLike, MandateClient, MandateOAuthError, MandateResourceServer } from "./src/index";

// The SDK's DPoP (RFC 9449) against the real Mandate: a client with a key gets bound tokens and
// proves possession on every request (decisions, a resource server, an exchanged token); what it
// sent, replayed by someone who saw it, is refused; and the resource helper refuses a bound token
// without a fresh proof by its key for the very request.

let mandate: OAuthTestServer;
let admin: UserCaller;
let tools: Server;
let resource: string;
let guard: MandateResourceServer;
let scope: string;
let credentials: { issuer: string; clientId: string; clientSecret: string };
const FAST = { baseDelayMs: 1, maxDelayMs: 20 };

beforeAll(async () => {
  mandate = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
  const tenant = await makeTenant();
  const tag = unique("p").toLowerCase();
  const created = await createScope(admin, {
    name: `tools.read.${tag}`,
    description: "read tools",
    risk: "low",
    tenant: tenant.id,
  });
  scope = created.name;
  const role = await createRole(admin, { name: `tools-${tag}`, tenant: tenant.id, scopes: [created.id] });
  await createPolicy(admin, {
    name: `Tools ${tag}`,
    tenant: tenant.id,
    text: `permit (principal is Agent, action == Action::"${scope}", resource);`,
  });
  const agent = await makeAgent(admin, tenant.id, { status: "active" });
  await assignRole(admin, agent.id, role.id);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  credentials = { issuer: mandate.issuer, clientId: agent.id, clientSecret: secret as string };

  const { client, secret: introspectorSecret } = await createAutomationClient(admin, {
    client_id: unique("tools").toLowerCase(),
    name: "Tools server",
    role: "tenant_auditor",
    tenant: tenant.slug,
  });
  tools = createServer();
  await new Promise<void>((resolve) => tools.listen(0, "127.0.0.1", resolve));
  resource = `http://127.0.0.1:${(tools.address() as AddressInfo).port}/mcp`;
  guard = new MandateResourceServer({
    resource,
    introspector: new MandateClient(
      { issuer: mandate.issuer, clientId: client.clientId, clientSecret: introspectorSecret },
      { retry: FAST },
    ),
  });
  tools.on("request", (req, res) => {
    guard.middleware([scope])(req, res, () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => (tools ? tools.close(() => resolve()) : resolve()));
  await mandate?.close();
});

/** A fetch that keeps what it sent, for a replay. */
function recording() {
  const sent: { url: string; headers: Headers; body?: string; method: string }[] = [];
  const fetchImpl: FetchLike = (input, init = {}) => {
    sent.push({
      url: String(input instanceof Request ? input.url : input),
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body: typeof init.body === "string" ? init.body : undefined,
    });
    return globalThis.fetch(input, init);
  };
  return { sent, fetchImpl };
}

const decision = { action: "", resource: { type: "Document" as const, id: "d-1" } };

describe("the SDK's DPoP client", () => {
  it("gets a bound token, decides with proofs; its captured request replayed, or the token as Bearer, is denied", async () => {
    const { sent, fetchImpl } = recording();
    const client = new MandateClient(credentials, { scope: [scope], dpop: true, retry: FAST, fetch: fetchImpl });
    const token = await client.token();
    expect(token.token_type).toBe("DPoP");
    const tokenRequest = sent.find((r) => r.url.endsWith("/oauth/token"));
    expect(tokenRequest?.headers.get("dpop")).toBeTruthy();
    const seen = await client.introspect(token.access_token);
    expect(seen.cnf?.jkt).toBe(await client.dpopThumbprint());

    const ask = { ...decision, action: scope };
    expect(await client.actions.check(ask)).toMatchObject({ decision: "allow" });
    expect(await client.actions.check(ask)).toMatchObject({ decision: "allow" });
    const asked = sent.filter((r) => r.url.endsWith("/api/v1/decisions"));
    expect(asked).toHaveLength(2);
    expect(asked[0].headers.get("authorization")).toBe(`DPoP ${token.access_token}`);
    expect(asked[0].headers.get("dpop")).not.toBe(asked[1].headers.get("dpop"));

    const replayed = await fetch(asked[0].url, { method: "POST", headers: asked[0].headers, body: asked[0].body });
    expect(await replayed.json()).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    const bearer = await fetch(asked[0].url, {
      method: "POST",
      headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
      body: asked[0].body,
    });
    expect(await bearer.json()).toMatchObject({ decision: "deny", code: "dpop_invalid" });
  });

  it("binds to a key it is given; an exchanged token is bound to the exchanging client's key", async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    const publicJwk = await exportJWK(pair.publicKey);
    const client = new MandateClient(credentials, {
      scope: [scope],
      dpop: { privateKey: await exportJWK(pair.privateKey), publicJwk },
      retry: FAST,
    });
    expect(await client.dpopThumbprint()).toBe(await calculateJwkThumbprint(publicJwk));
    const own = await client.token();
    expect((await client.introspect(own.access_token)).cnf?.jkt).toBe(await calculateJwkThumbprint(publicJwk));

    const exchanged = await client.exchange({ subjectToken: own });
    expect(exchanged.token_type).toBe("DPoP");
    expect((await client.introspect(exchanged.access_token)).cnf?.jkt).toBe(await client.dpopThumbprint());
    expect(await client.withToken(exchanged).actions.check({ ...decision, action: scope })).toMatchObject({
      decision: "allow",
    });
  });

  it("an agent that requires DPoP gets no token without a key", async () => {
    const tenant = await makeTenant();
    const agent = await makeAgent(admin, tenant.id, { status: "active", dpop_required: true });
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    const creds = { issuer: mandate.issuer, clientId: agent.id, clientSecret: secret as string };
    const error = await new MandateClient(creds, { retry: FAST }).token().catch((e) => e);
    expect(error).toBeInstanceOf(MandateOAuthError);
    expect(error.error).toBe("invalid_grant");
    expect((await new MandateClient(creds, { dpop: true, retry: FAST }).token()).token_type).toBe("DPoP");
    await updateAgent(admin, agent.id, { dpop_required: false });
  });
});

describe("the resource helper with DPoP-bound tokens", () => {
  it("serves the key holder; refuses a replay, the token as Bearer, and a proof for another path", async () => {
    const { sent, fetchImpl } = recording();
    const client = new MandateClient(credentials, {
      scope: [scope],
      resource,
      dpop: true,
      retry: FAST,
      fetch: fetchImpl,
    });
    const first = await client.fetch(`${resource}/tools`);
    expect(first.status).toBe(200);
    expect((await client.fetch(`${resource}/tools?page=2`, { method: "POST", body: "{}" })).status).toBe(200);
    const called = sent.filter((r) => r.url.startsWith(resource));
    const [get] = called;
    expect(get.headers.get("authorization")).toMatch(/^DPoP /);

    const replayed = await fetch(get.url, { headers: get.headers });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get("www-authenticate")).toMatch(/^DPoP error="invalid_dpop_proof"/);
    expect((await replayed.json()).error_description).toMatch(/already used/);

    const token = (get.headers.get("authorization") ?? "").slice("DPoP ".length);
    const bearer = await fetch(get.url, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get("www-authenticate")).toMatch(/invalid_dpop_proof/);

    // A fresh proof, but for another path of the same server.
    const forOther = await client.withToken(token).fetch(`${resource}/other`);
    expect(forOther.status).toBe(200);
    const otherProof = sent[sent.length - 1].headers.get("dpop") as string;
    const moved = await fetch(`${resource}/tools`, { headers: { authorization: `DPoP ${token}`, dpop: otherProof } });
    expect(moved.status).toBe(401);
    expect((await moved.json()).error_description).toMatch(/\/mcp\/other/);
  });

  it("a Fetch-style handler checks the proof against the request's method and URL", async () => {
    let captured: Request | undefined;
    // The resource's requests are kept, not sent: the guard is then called with them by hand.
    const keep: FetchLike = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.startsWith(resource)) return globalThis.fetch(input, init);
      captured = new Request(input, init);
      return new Response(null, { status: 204 });
    };
    const client = new MandateClient(credentials, { scope: [scope], resource, dpop: true, retry: FAST, fetch: keep });
    await client.fetch(`${resource}/x`);
    expect(await guard.guard(captured as Request, [scope])).toMatchObject({ ok: true });
    await client.fetch(`${resource}/x`, { method: "DELETE" });
    const sentAsGet = new Request((captured as Request).url, { headers: (captured as Request).headers });
    const refused = (await guard.guard(sentAsGet, [scope])) as Response;
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_dpop_proof" });
  });

  it("a resource server with nonces (dpopNonceSecret) asks for one, and the SDK's fetch retries with it", async () => {
    const nonced = new MandateResourceServer({
      resource,
      introspector: new MandateClient(credentials, { retry: FAST }),
      dpopNonceSecret: "s".repeat(32),
    });
    const answers: number[] = [];
    // The resource's requests go to the nonced guard, by hand; everything else to Mandate.
    const route: FetchLike = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.startsWith(resource)) return globalThis.fetch(input, init);
      const checked = (await nonced.guard(new Request(input, init), [scope])) as Response | { ok: true };
      const response = checked instanceof Response ? checked : new Response("ok", { status: 200 });
      answers.push(response.status);
      return response;
    };
    const client = new MandateClient(credentials, { scope: [scope], resource, dpop: true, retry: FAST, fetch: route });
    const response = await client.fetch(`${resource}/x`);
    expect(response.status).toBe(200);
    expect(answers).toEqual([401, 200]);
    // The nonce is kept: the next request needs no second try.
    expect((await client.fetch(`${resource}/x`)).status).toBe(200);
    expect(answers).toEqual([401, 200, 200]);
    expect(() => new MandateResourceServer({ resource, introspector: client, dpopNonceSecret: "short" })).toThrow(
      /32 characters/,
    );
  });

  it("a resource server relays a bound token's decision with the caller's proof, forwarded once", async () => {
    let captured: Request | undefined;
    const keep: FetchLike = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.startsWith(mandate.issuer)) return globalThis.fetch(input, init);
      captured = new Request(input, init);
      return new Response(null, { status: 204 });
    };
    const client = new MandateClient(credentials, { scope: [scope], resource, dpop: true, retry: FAST, fetch: keep });
    await client.fetch(`${resource}/tools`, { method: "POST" });
    const request = captured as Request;
    const checked = await guard.authenticate(request.headers.get("authorization"), [scope], {
      method: request.method,
      url: request.url,
      dpop: request.headers.get("dpop"),
    });
    if (!checked.ok) throw new Error(`refused: ${JSON.stringify(checked.body)}`);
    expect(checked.dpop).toBeTruthy();
    const ask = { action: scope, resource: { type: "Document" as const, id: "d-1" } };
    expect(await guard.decide(checked, ask)).toMatchObject({ decision: "allow" });
    // The same proof again (a captured request replayed at Mandate): spent.
    expect(await guard.decide(checked, ask)).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    // The token without its proof, as a thief relaying it would: refused.
    expect(await guard.decide(checked.token, ask)).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    // A fresh proof by the right key, but for a URL that is not the token's resource.
    await client.fetch("http://127.0.0.1:9/elsewhere", { method: "POST" });
    const elsewhere = await guard.decide(checked.token, ask, (captured as Request).headers.get("dpop") as string);
    expect(elsewhere).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    expect(elsewhere.reason).toMatch(/not for/);
  });
});
