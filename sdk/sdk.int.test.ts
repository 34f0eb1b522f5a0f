import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { makeAgent, makeCaller, makeTenant, sessionCookie, unique } from "@/tests/factories";
import { CookieJar, type OAuthTestServer, startOAuthServer } from "@/tests/oauth-server";
import { type FetchLike, MandateClient, MandateError, MandateNetworkError, MandateOAuthError } from "./src/index";

let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthServer();
});
afterAll(() => server?.close());

const TOKEN = "/oauth/token";
const FAST = { baseDelayMs: 1, maxDelayMs: 20 };
const REDIRECT = "http://127.0.0.1:9/callback";

async function activeAgent(opts: { redirect_uris?: string[] } = {}) {
  const tenant = await makeTenant();
  const admin = await makeCaller({ global: "security_admin" });
  const agent = await makeAgent(admin, tenant.id, { status: "active", ...opts });
  return { admin, agent };
}

async function agentWithSecret() {
  const { admin, agent } = await activeAgent();
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  return { admin, agent, secret: secret as string };
}

async function agentWithKey(alg: "ES256" | "RS256" | "EdDSA", kid?: string) {
  const { admin, agent } = await activeAgent();
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  await createCredential(admin, agent.id, { type: "jwk", jwk: { ...(await exportJWK(publicKey)), kid } });
  return { agent, privateKey, privateJwk: { ...(await exportJWK(privateKey)), kid } };
}

/** Global fetch, counting requests by path; `answer` may stand in for the server (n: that path's count). */
function counting(
  answer?: (url: URL, n: number, forward: () => Promise<Response>) => Promise<Response | undefined> | undefined,
) {
  const calls: string[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    calls.push(url.pathname);
    const n = calls.filter((p) => p === url.pathname).length;
    return (await answer?.(url, n, () => fetch(input, init))) ?? fetch(input, init);
  };
  return { fetch: fetchImpl, count: (path: string) => calls.filter((p) => p === path).length };
}

const tokenRows = async (agentId: string) =>
  (await prisma()).token.count({ where: { agentId, kind: "CLIENT_CREDENTIALS" } });

describe("tokens from Mandate's authorization server", () => {
  it("client secret (Basic): a token that introspects as active for this agent", async () => {
    const { agent, secret } = await agentWithSecret();
    const client = new MandateClient({ issuer: server.issuer, clientId: agent.id, clientSecret: secret });
    const set = await client.token();
    expect(set.token_type).toMatch(/^bearer$/i);
    expect(set).not.toHaveProperty("refresh_token");
    expect(set.expires_at - Date.now() / 1000).toBeGreaterThan(590);
    const info = await client.introspect(set.access_token);
    expect(info).toMatchObject({ active: true, client_id: agent.id, tenant_id: agent.tenantId });
  });

  it("client secret in the body (client_secret_post)", async () => {
    const { agent, secret } = await agentWithSecret();
    const client = new MandateClient({
      issuer: server.issuer,
      clientId: agent.id,
      clientSecret: secret,
      authMethod: "client_secret_post",
    });
    expect((await client.introspect(await client.getAccessToken())).active).toBe(true);
  });

  it.each([
    ["ES256 JWK", "ES256", "jwk", undefined],
    ["RS256 JWK with a kid", "RS256", "jwk", "key-1"],
    ["EdDSA CryptoKey", "EdDSA", "crypto", undefined],
  ] as const)("private_key_jwt with an %s", async (_name, alg, form, kid) => {
    const { agent, privateKey, privateJwk } = await agentWithKey(alg, kid);
    const client = new MandateClient({
      issuer: server.issuer,
      clientId: agent.id,
      privateKey: form === "jwk" ? privateJwk : privateKey,
      keyId: kid,
    });
    const token = await client.getAccessToken();
    // Introspection authenticates with a second, fresh assertion (each may be used once).
    expect(await client.introspect(token)).toMatchObject({ active: true, client_id: agent.id });
  });

  it("refuses a public key as privateKey before sending anything", async () => {
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const make = () => new MandateClient({ issuer: server.issuer, clientId: "x", privateKey: publicKey });
    expect(make).toThrow(MandateError);
  });

  it("caches the token: two calls, one request, one token row", async () => {
    const { agent, secret } = await agentWithSecret();
    const net = counting();
    const client = new MandateClient(
      { issuer: server.issuer, clientId: agent.id, clientSecret: secret },
      { fetch: net.fetch },
    );
    const first = await client.getAccessToken();
    expect(await client.getAccessToken()).toBe(first);
    expect(net.count(TOKEN)).toBe(1);
    expect(net.count("/.well-known/oauth-authorization-server")).toBe(1);
    expect(await tokenRows(agent.id)).toBe(1);
  });

  it("replaces a token within refreshSkewSeconds of expiry", async () => {
    const { agent, secret } = await agentWithSecret();
    // A skew longer than the 600 s lifetime makes every cached token due for replacement.
    const client = new MandateClient(
      { issuer: server.issuer, clientId: agent.id, clientSecret: secret },
      { refreshSkewSeconds: 601 },
    );
    expect(await client.getAccessToken()).not.toBe(await client.getAccessToken());
    expect(await tokenRows(agent.id)).toBe(2);
  });

  it("concurrent callers share one request", async () => {
    const { agent, secret } = await agentWithSecret();
    const net = counting();
    const client = new MandateClient(
      { issuer: server.issuer, clientId: agent.id, clientSecret: secret },
      { fetch: net.fetch },
    );
    const tokens = await Promise.all(Array.from({ length: 5 }, () => client.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(net.count(TOKEN)).toBe(1);
    expect(await tokenRows(agent.id)).toBe(1);
  });

  it("scope option: the token carries the scope asked for; a scope outside the agent's roles is invalid_scope", async () => {
    const w = await consentWorld();
    const auth = { issuer: server.issuer, clientId: w.agent.id, clientSecret: w.secret };
    const set = await new MandateClient(auth, { scope: [w.scopes[0]] }).token();
    expect(set.scope).toBe(w.scopes[0]);
    // Not asking is not asking for everything the roles allow.
    expect((await new MandateClient(auth).token()).scope).toBe("");

    const net = counting();
    const refused = new MandateClient(auth, { scope: "not.granted", fetch: net.fetch, retry: FAST }).token();
    await expect(refused).rejects.toMatchObject({ name: "MandateOAuthError", error: "invalid_scope", status: 400 });
    expect(net.count(TOKEN)).toBe(1);
  });

  it("an invalid secret is invalid_client, not retried", async () => {
    const { agent } = await agentWithSecret();
    const net = counting();
    const client = new MandateClient(
      { issuer: server.issuer, clientId: agent.id, clientSecret: "mandate_sk_wrong" },
      { fetch: net.fetch, retry: FAST },
    );
    const error = await client.getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MandateOAuthError);
    expect(error).toMatchObject({ error: "invalid_client", status: 401 });
    expect(net.count(TOKEN)).toBe(1);
    // A failed fetch is not cached: the next call asks again.
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(MandateOAuthError);
    expect(net.count(TOKEN)).toBe(2);
  });

  it("retries 503 twice, then succeeds, with a fresh client assertion each time", async () => {
    const { agent, privateJwk } = await agentWithKey("ES256");
    // The server sees and answers every try, but the first two answers are lost behind a 503:
    // reusing an assertion would then be refused as a replay.
    const net = counting(async (url, n, forward) => {
      if (url.pathname !== TOKEN || n > 2) return undefined;
      await forward();
      return new Response("busy", { status: 503 });
    });
    const client = new MandateClient(
      { issuer: server.issuer, clientId: agent.id, privateKey: privateJwk },
      { fetch: net.fetch, retry: FAST },
    );
    expect((await client.introspect(await client.getAccessToken())).active).toBe(true);
    expect(net.count(TOKEN)).toBe(3);
  });

  it("retries network errors; gives up after `attempts` with the last answer", async () => {
    const { agent, secret } = await agentWithSecret();
    const auth = { issuer: server.issuer, clientId: agent.id, clientSecret: secret };
    const flaky = counting((url, n) => {
      if (url.pathname === TOKEN && n === 1) throw new TypeError("fetch failed");
      return undefined;
    });
    await new MandateClient(auth, { fetch: flaky.fetch, retry: FAST }).getAccessToken();
    expect(flaky.count(TOKEN)).toBe(2);

    const down = counting(async (url) => (url.pathname === TOKEN ? new Response("", { status: 502 }) : undefined));
    const failing = new MandateClient(auth, { fetch: down.fetch, retry: { ...FAST, attempts: 3 } });
    await expect(failing.getAccessToken()).rejects.toMatchObject({ error: "server_error", status: 502 });
    expect(down.count(TOKEN)).toBe(3);

    const gone = counting((url) => {
      if (url.pathname === TOKEN) throw new TypeError("fetch failed");
      return undefined;
    });
    const unreachable = new MandateClient(auth, { fetch: gone.fetch, retry: { ...FAST, attempts: 2 } });
    await expect(unreachable.getAccessToken()).rejects.toBeInstanceOf(MandateNetworkError);
    expect(gone.count(TOKEN)).toBe(2);
  });

  it("honours Retry-After, and gives up at once when it asks for longer than maxDelayMs", async () => {
    const { agent, secret } = await agentWithSecret();
    const auth = { issuer: server.issuer, clientId: agent.id, clientSecret: secret };
    const limited = (seconds: string) =>
      counting(async (url, n) =>
        url.pathname === TOKEN && n === 1
          ? new Response('{"error":"slow_down"}', { status: 429, headers: { "retry-after": seconds } })
          : undefined,
      );
    const net = limited("1");
    const started = Date.now();
    await new MandateClient(auth, { fetch: net.fetch, retry: { baseDelayMs: 1, maxDelayMs: 2000 } }).getAccessToken();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(net.count(TOKEN)).toBe(2);

    const long = limited("60");
    const client = new MandateClient(auth, { fetch: long.fetch, retry: FAST });
    await expect(client.getAccessToken()).rejects.toMatchObject({
      status: 429,
      error: "slow_down",
      retryAfterMs: 60_000,
    });
    expect(long.count(TOKEN)).toBe(1);
  });

  it("revoke: introspection turns inactive and the cached token is dropped", async () => {
    const { agent, secret } = await agentWithSecret();
    const client = new MandateClient({ issuer: server.issuer, clientId: agent.id, clientSecret: secret });
    const token = await client.getAccessToken();
    await client.revoke(token);
    expect((await client.introspect(token)).active).toBe(false);
    const next = await client.getAccessToken();
    expect(next).not.toBe(token);
    expect((await client.introspect(next)).active).toBe(true);
  });

  it("fetch: sends the bearer token; on a 401 gets a new token and tries once more", async () => {
    const { agent, secret } = await agentWithSecret();
    const seen: { auth: string | null; body: string }[] = [];
    const net = counting(async (url, n) => {
      if (url.host !== "resource.test") return undefined;
      return new Response(null, { status: n === 1 ? 401 : 200 });
    });
    const inner = net.fetch;
    const recording: FetchLike = async (input, init) => {
      if (String(input).startsWith("https://resource.test")) {
        seen.push({ auth: new Headers(init?.headers).get("authorization"), body: String(init?.body) });
      }
      return inner(input, init);
    };
    const client = new MandateClient(
      { issuer: server.issuer, clientId: agent.id, clientSecret: secret },
      { fetch: recording },
    );
    const response = await client.fetch("https://resource.test/things", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[0].auth).toMatch(/^Bearer /);
    expect(seen[1].auth).toMatch(/^Bearer /);
    expect(seen[1].auth).not.toBe(seen[0].auth);
    expect(seen[1].body).toBe('{"a":1}');
    expect(await tokenRows(agent.id)).toBe(2);
  });
});

/** An active agent with a redirect URI, holding a role with two scopes, and a member of its tenant. */
async function consentWorld() {
  const { admin, agent } = await activeAgent({ redirect_uris: [REDIRECT] });
  const scope = (name: string) =>
    createScope(admin, { name: unique(name), description: name, risk: "low", tenant: null });
  const scopes = [await scope("docs.read"), await scope("mail.send")];
  const role = await createRole(admin, { name: unique("role"), tenant: null, scopes: scopes.map((s) => s.id) });
  await assignRole(admin, agent.id, role.id);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  const member = await makeCaller({ tenants: { [agent.tenantId]: "member" } });
  return { agent, member, secret: secret as string, scopes: scopes.map((s) => s.name) };
}

/** A user consents in the browser (driven by hand); the agent exchanges the code for tokens. */
async function userDelegatedTokens(w: Awaited<ReturnType<typeof consentWorld>>) {
  const verifier = crypto.randomUUID() + crypto.randomUUID();
  const challenge = Buffer.from(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const url = new URL("/oauth/authorize", server.issuer);
  for (const [k, v] of Object.entries({
    client_id: w.agent.id,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: w.scopes[0],
    code_challenge: challenge.toString("base64url"),
    code_challenge_method: "S256",
  })) {
    url.searchParams.set(k, v);
  }
  const jar = new CookieJar();
  const start = await fetch(url, { redirect: "manual" });
  jar.take(start);
  jar.set("next-auth.session-token", await sessionCookie(w.member, server.config.authSecret));
  const answer = await fetch(new URL(`${start.headers.get("location")}/confirm`, server.issuer), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: jar.header(), origin: server.issuer, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ scope: w.scopes[0] }),
  });
  jar.take(answer);
  const resume = await fetch(new URL(answer.headers.get("location") ?? "", server.issuer), {
    redirect: "manual",
    headers: { cookie: jar.header() },
  });
  const code = new URL(resume.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT });
  body.set("code_verifier", verifier);
  const tokens = await fetch(new URL(TOKEN, server.issuer), {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${w.agent.id}:${w.secret}`)}` },
    body,
  });
  return (await tokens.json()) as { access_token: string; refresh_token: string };
}

describe("refresh", () => {
  it("rotates against the real server; a spent refresh token is invalid_grant, not retried", async () => {
    const w = await consentWorld();
    const initial = await userDelegatedTokens(w);
    expect(initial.refresh_token).toBeTruthy();
    const net = counting();
    const client = new MandateClient(
      { issuer: server.issuer, clientId: w.agent.id, clientSecret: w.secret },
      { fetch: net.fetch, retry: FAST },
    );
    // Two callers refreshing at once share one request: a second would be a reuse.
    const [a, b] = await Promise.all([client.refresh(initial.refresh_token), client.refresh(initial.refresh_token)]);
    expect(b).toBe(a);
    expect(net.count(TOKEN)).toBe(1);
    expect(a.refresh_token).toBeTruthy();
    expect(a.refresh_token).not.toBe(initial.refresh_token);
    expect(a.scope).toBe(w.scopes[0]);
    expect(await client.introspect(a.access_token)).toMatchObject({ active: true, sub: w.member.id });

    await expect(client.refresh(initial.refresh_token)).rejects.toMatchObject({ error: "invalid_grant", status: 400 });
    expect(net.count(TOKEN)).toBe(2);
    expect((await client.introspect(a.access_token)).active).toBe(false);
  });
});

/** A stand-in authorization server for request shaping: discovery, then `answer` for each POST. */
function fakeServer(answer: (n: number) => Response | Promise<Response>) {
  const issuer = "https://mandate.test";
  const posts: { url: string; headers: Headers; body: URLSearchParams }[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    if (String(input).includes("/.well-known/")) {
      return Response.json({ issuer, token_endpoint: `${issuer}/oauth/token` });
    }
    posts.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: new URLSearchParams(String(init?.body)),
    });
    return answer(posts.length);
  };
  const client = new MandateClient(
    { issuer, clientId: "agent-1", clientSecret: "mandate_sk_x" },
    { fetch: fetchImpl, retry: FAST },
  );
  return { client, posts };
}

const rotated = () =>
  Response.json({ access_token: "at-2", token_type: "Bearer", expires_in: 600, scope: "a", refresh_token: "rt-2" });

describe("refresh request shaping (fake server)", () => {
  it("posts grant_type=refresh_token with Basic auth and returns the rotated refresh token", async () => {
    const { client, posts } = fakeServer(rotated);
    const set = await client.refresh("rt-1");
    expect(set).toMatchObject({ access_token: "at-2", refresh_token: "rt-2", scope: "a" });
    expect(posts).toHaveLength(1);
    expect(posts[0].url).toBe("https://mandate.test/oauth/token");
    expect(Object.fromEntries(posts[0].body)).toEqual({ grant_type: "refresh_token", refresh_token: "rt-1" });
    expect(posts[0].headers.get("authorization")).toBe(`Basic ${btoa("agent-1:mandate_sk_x")}`);
    expect(posts[0].headers.get("content-type")).toBe("application/x-www-form-urlencoded");
  });

  it("does not resend a refresh after an answer that may mean it was processed (500, lost connection)", async () => {
    const failing = fakeServer(() => new Response("", { status: 500 }));
    await expect(failing.client.refresh("rt-1")).rejects.toMatchObject({ error: "server_error", status: 500 });
    expect(failing.posts).toHaveLength(1);

    const reset = fakeServer(() => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      });
    });
    await expect(reset.client.refresh("rt-1")).rejects.toBeInstanceOf(MandateNetworkError);
    expect(reset.posts).toHaveLength(1);
  });

  it("does resend after 503 or when the connection was never made", async () => {
    const busy = fakeServer((n) => (n === 1 ? new Response("", { status: 503 }) : rotated()));
    expect((await busy.client.refresh("rt-1")).refresh_token).toBe("rt-2");
    expect(busy.posts).toHaveLength(2);

    const refused = fakeServer((n) => {
      if (n === 1)
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) });
      return rotated();
    });
    expect((await refused.client.refresh("rt-1")).refresh_token).toBe("rt-2");
    expect(refused.posts).toHaveLength(2);
  });
});
