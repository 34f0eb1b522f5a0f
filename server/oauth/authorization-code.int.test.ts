import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { liveTokenWhere } from "@/server/oauth/token-store";
import { discover } from "@/tests/admin-api";
import { authorize as authorizeAs, type ConsentOptions } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import { type OAuthTestServer, startOAuthServer } from "@/tests/oauth-server";

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true };
const REDIRECT = "http://127.0.0.1:9/callback";

beforeAll(async () => {
  server = await startOAuthServer();
  as = await discover(server);
});
afterAll(() => server?.close());

/** An active agent that may hold `read` and `send` scopes, and a member of its tenant. */
async function world() {
  const tenant = await makeTenant();
  const admin = await makeCaller({ global: "security_admin" });
  const read = await createScope(admin, {
    name: unique("docs.read"),
    description: "Read documents",
    risk: "low",
    tenant: null,
  });
  const send = await createScope(admin, {
    name: unique("mail.send"),
    description: "Send email",
    risk: "high",
    tenant: null,
  });
  const role = await createRole(admin, { name: unique("role"), tenant: null, scopes: [read.id, send.id] });
  const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
  await assignRole(admin, agent.id, role.id);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
  return { tenant, agent, member, secret: secret as string, scopes: [read.name, send.name] };
}

/** Drives the browser's part: authorize → consent page → answer → back to the redirect URI. */
/** Drives the browser's part: authorize → consent page → answer → back to the redirect URI. */
function authorize(
  w: Awaited<ReturnType<typeof world>>,
  opts: Omit<ConsentOptions, "agentId" | "redirectUri" | "user"> & { as?: { id: string; email: string } },
) {
  return authorizeAs(server, as, { ...opts, agentId: w.agent.id, redirectUri: REDIRECT, user: opts.as ?? w.member });
}

async function callbackOf(w: Awaited<ReturnType<typeof world>>, opts: Parameters<typeof authorize>[1]): Promise<URL> {
  const result = await authorize(w, opts);
  if (!(result instanceof URL)) throw new Error(`consent answer refused with ${result.refused}`);
  return result;
}

describe("authorization code + PKCE with consent", () => {
  it("issues tokens for the consented scopes only, and rotates refresh tokens", async () => {
    const w = await world();
    const client: oauth.Client = { client_id: w.agent.id };
    const auth = oauth.ClientSecretPost(w.secret);
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await callbackOf(w, { scope: w.scopes.join(" "), tick: [w.scopes[0]], verifier });

    // RFC 9207: the response names its issuer (oauth4webapi checks it against discovery, too).
    expect(callback.searchParams.get("iss")).toBe(server.issuer);
    const params = oauth.validateAuthResponse(as, client, callback, "s-1");
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(tokens.scope).toBe(w.scopes[0]);
    expect(tokens.refresh_token).toBeTruthy();

    const grant = await (await prisma()).grant.findFirstOrThrow({ where: { agentId: w.agent.id } });
    expect(grant).toMatchObject({ userId: w.member.id, tenantId: w.tenant.id, scopes: [w.scopes[0]], revokedAt: null });

    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(introspection).toMatchObject({ active: true, sub: w.member.id, scope: w.scopes[0], tenant_id: w.tenant.id });

    // Rotation: the refresh answers a new refresh token; the old one is spent.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token as string, insecure),
    );
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    // Re-use of the spent refresh token: refused, and the whole family goes with it.
    const reuse = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token as string, insecure);
    await expect(oauth.processRefreshTokenResponse(as, client, reuse)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    for (const token of [refreshed.access_token, tokens.access_token, refreshed.refresh_token as string]) {
      const r = await oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, auth, token, insecure),
      );
      expect(r.active).toBe(false);
    }
    const db = await prisma();
    expect((await db.grant.findUniqueOrThrow({ where: { id: grant.id } })).revokedReason).toBe("refresh token reused");
    const live = await db.token.count({ where: { grantId: grant.id, revokedAt: null } });
    expect(live).toBe(0);
    const events = await db.auditEvent.findMany({ where: { targetId: grant.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["consent.granted", "grant.revoked", "oauth.token_family.revoked"]),
    );
  });

  it("a request that names no scope asks for the agent's roles' scopes, and the person approves some", async () => {
    const w = await world();
    const client: oauth.Client = { client_id: w.agent.id };
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await callbackOf(w, { scope: "", tick: [w.scopes[1]], verifier });
    const params = oauth.validateAuthResponse(as, client, callback, "s-1");
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.ClientSecretPost(w.secret),
        params,
        REDIRECT,
        verifier,
        insecure,
      ),
    );
    expect(tokens.scope).toBe(w.scopes[1]);
    const db = await prisma();
    const grant = await db.grant.findFirstOrThrow({ where: { agentId: w.agent.id } });
    expect(grant.scopes).toEqual([w.scopes[1]]);
    const consent = await db.auditEvent.findFirstOrThrow({ where: { action: "consent.granted", targetId: grant.id } });
    expect(consent.data).toMatchObject({ requested: w.scopes, scopes: [w.scopes[1]], rejected: [w.scopes[0]] });
  });

  it("an agent whose roles give it no scope, naming none, is refused with invalid_scope before any consent", async () => {
    const tenant = await makeTenant();
    const admin = await makeCaller({ global: "security_admin" });
    const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
    const url = new URL(as.authorization_endpoint as string);
    url.search = new URLSearchParams({
      client_id: agent.id,
      response_type: "code",
      redirect_uri: REDIRECT,
      state: "s-1",
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: "S256",
    }).toString();
    const response = await fetch(url, { redirect: "manual" });
    const back = new URL(response.headers.get("location") ?? "");
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get("error")).toBe("invalid_scope");
    expect(back.searchParams.get("error_description")).toMatch(/scope is required/);
    expect(back.searchParams.get("iss")).toBe(server.issuer);
  });

  it("discovery advertises no scope an agent cannot ask for (openid is refused)", async () => {
    const document = await (await fetch(`${server.issuer}/.well-known/oauth-authorization-server`)).json();
    expect(document).not.toHaveProperty("scopes_supported");
    expect(document.code_challenge_methods_supported).toEqual(["S256"]);
    const w = await world();
    const url = new URL(as.authorization_endpoint as string);
    url.search = new URLSearchParams({
      client_id: w.agent.id,
      response_type: "code",
      redirect_uri: REDIRECT,
      scope: "openid",
      state: "s-1",
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: "S256",
    }).toString();
    const back = new URL((await fetch(url, { redirect: "manual" })).headers.get("location") ?? "");
    expect(back.searchParams.get("error")).toBe("invalid_scope");
  });

  it("refusing sends access_denied back to the agent and creates no grant", async () => {
    const w = await world();
    const callback = await callbackOf(w, {
      scope: w.scopes[0],
      answer: "abort",
      verifier: oauth.generateRandomCodeVerifier(),
    });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("iss")).toBe(server.issuer);
    expect(await (await prisma()).grant.count({ where: { agentId: w.agent.id } })).toBe(0);
  });

  it("only members of the agent's tenant may consent, and only from Mandate's own pages", async () => {
    const w = await world();
    const outsider = await makeCaller({ tenants: { [(await makeTenant()).id]: "member" } });
    const verifier = oauth.generateRandomCodeVerifier();
    expect(await authorize(w, { scope: w.scopes[0], verifier, as: outsider })).toEqual({ refused: 403 });
    expect(await authorize(w, { scope: w.scopes[0], verifier, origin: "https://evil.example" })).toEqual({
      refused: 403,
    });
    expect(await (await prisma()).grant.count({ where: { agentId: w.agent.id } })).toBe(0);
  });

  it("of two refreshes racing with the same refresh token, exactly one succeeds, and the family is revoked", async () => {
    const w = await world();
    const client: oauth.Client = { client_id: w.agent.id };
    const auth = oauth.ClientSecretPost(w.secret);
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await callbackOf(w, { scope: w.scopes[0], verifier });
    const params = oauth.validateAuthResponse(as, client, callback, "s-1");
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT, verifier, insecure),
    );
    const race = await Promise.all(
      [1, 2, 3].map(() => oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token as string, insecure)),
    );
    expect(race.filter((r) => r.status === 200)).toHaveLength(1);
    expect(race.filter((r) => r.status === 400)).toHaveLength(2);
    const db = await prisma();
    const grant = await db.grant.findFirstOrThrow({ where: { agentId: w.agent.id } });
    expect(grant.revokedReason).toBe("refresh token reused");
    // The winner's new tokens may be written after the revocation; they belong to a revoked
    // grant, so none of them is live.
    expect(await db.token.count({ where: { grantId: grant.id, ...liveTokenWhere(new Date()) } })).toBe(0);
    const winner = await oauth.processRefreshTokenResponse(as, client, race.find((r) => r.status === 200) as Response);
    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, winner.access_token, insecure),
    );
    expect(introspection.active).toBe(false);
  });
});
