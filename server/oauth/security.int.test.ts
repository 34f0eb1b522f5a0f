import { exportJWK, generateKeyPair } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential, revokeCredential } from "@/server/agents/credentials";
import { transitionAgent } from "@/server/agents/transition-agent";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { clientToken, discover, insecure } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import { type OAuthTestServer, startOAuthServer } from "@/tests/oauth-server";

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenantId: string;

beforeAll(async () => {
  server = await startOAuthServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenantId = (await makeTenant()).id;
});
afterAll(() => server?.close());

async function agentWithSecret(opts: Parameters<typeof makeAgent>[2] = {}) {
  const agent = await makeAgent(admin, tenantId, { status: "active", ...opts });
  const { secret, credential } = await createCredential(admin, agent.id, { type: "client_secret" });
  return { agent, secret: secret as string, credentialId: credential.id };
}

/** A raw token request, for checking the OAuth error a client sees. */
async function tokenRequest(body: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(as.token_endpoint as string, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`,
});

async function lastRefusal(clientId: string) {
  return (await prisma()).auditEvent.findFirst({
    where: { action: "oauth.token.refused", targetId: clientId },
    orderBy: { id: "desc" },
  });
}

async function introspect(agentId: string, secret: string, token: string) {
  const client = { client_id: agentId };
  return oauth.processIntrospectionResponse(
    as,
    client,
    await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(secret), token, insecure),
  );
}

describe("discovery", () => {
  it("announces only what Mandate offers, at both well-known paths, with endpoints under /oauth/", async () => {
    const [a, b] = await Promise.all(
      ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"].map(async (p) =>
        (await fetch(new URL(p, server.issuer))).json(),
      ),
    );
    expect(a.issuer).toBe(server.issuer);
    expect(b.issuer).toBe(server.issuer);
    expect([...a.grant_types_supported].sort()).toEqual([
      "authorization_code",
      "client_credentials",
      "refresh_token",
      "urn:ietf:params:oauth:grant-type:token-exchange",
    ]);
    expect(a.response_types_supported).toEqual(["code"]);
    expect(a.code_challenge_methods_supported).toEqual(["S256"]);
    // "none": public MCP clients (metadata documents), with PKCE; Mandate's own clients name theirs.
    expect([...a.token_endpoint_auth_methods_supported].sort()).toEqual([
      "client_secret_basic",
      "client_secret_post",
      "none",
      "private_key_jwt",
    ]);
    expect(a.client_id_metadata_document_supported).toBe(true);
    for (const key of [
      "token_endpoint",
      "introspection_endpoint",
      "revocation_endpoint",
      "authorization_endpoint",
      "end_session_endpoint",
    ]) {
      expect(new URL(a[key]).pathname).toMatch(/^\/oauth\//);
    }
    expect(a.userinfo_endpoint).toBeUndefined();
    // Dynamic registration is off unless DCR_ENABLED (dynamic-registration.int.test.ts).
    expect(a.registration_endpoint).toBeUndefined();
  });
});

describe("who gets no token", () => {
  it("a suspended, retired or review-expired agent: invalid_client, recorded with Mandate's reason", async () => {
    const suspended = await agentWithSecret();
    await transitionAgent(admin, suspended.agent.id, { transition: "suspend", reason: "incident" });
    const overdue = await agentWithSecret();
    await (await prisma()).agent.update({
      where: { id: overdue.agent.id },
      data: { reviewDueAt: new Date(Date.now() - 1000) },
    });
    const retired = await agentWithSecret();
    await transitionAgent(admin, retired.agent.id, { transition: "retire", reason: "done" });

    for (const [a, reason] of [
      [suspended, "agent is suspended"],
      [overdue, "agent is past its review date"],
      [retired, "agent is retired"],
    ] as const) {
      const r = await tokenRequest({ grant_type: "client_credentials" }, basic(a.agent.id, a.secret));
      expect(r.status).toBe(401);
      expect(r.body.error).toBe("invalid_client");
      expect(await lastRefusal(a.agent.id)).toMatchObject({
        outcome: "denied",
        reason,
        tenantId,
        actorType: "agent",
        actorId: a.agent.id,
      });
    }
  });

  it("a revoked or expired credential, or a wrong secret: invalid_client, recorded", async () => {
    const revoked = await agentWithSecret();
    await revokeCredential(admin, revoked.agent.id, revoked.credentialId, { reason: "leaked" });
    const expired = await agentWithSecret();
    await (await prisma()).credential.update({
      where: { id: expired.credentialId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    for (const [a, secret, reason] of [
      [revoked, revoked.secret, "client secret is revoked"],
      [expired, expired.secret, "client secret has expired"],
      [expired, `${expired.secret.slice(0, -1)}x`, "invalid client secret"],
    ] as const) {
      const r = await tokenRequest({ grant_type: "client_credentials" }, basic(a.agent.id, secret));
      expect(r.body.error).toBe("invalid_client");
      expect((await lastRefusal(a.agent.id))?.reason).toBe(reason);
    }
  });

  it("refuses a scope outside the agent's roles with invalid_scope, and grants those inside", async () => {
    const { agent, secret } = await agentWithSecret();
    const scope = await createScope(admin, {
      name: unique("crm.read"),
      description: "Read CRM",
      risk: "low",
      tenant: null,
    });
    const role = await createRole(admin, { name: unique("reader"), tenant: null, scopes: [scope.id] });
    await assignRole(admin, agent.id, role.id);

    const outside = await tokenRequest(
      { grant_type: "client_credentials", scope: `${scope.name} payments.send` },
      basic(agent.id, secret),
    );
    expect(outside.status).toBe(400);
    expect(outside.body.error).toBe("invalid_scope");
    expect((await lastRefusal(agent.id))?.reason).toMatch(/payments\.send/);

    const inside = await tokenRequest({ grant_type: "client_credentials", scope: scope.name }, basic(agent.id, secret));
    expect(inside.status).toBe(200);
    expect(inside.body.scope).toBe(scope.name);
  });
});

describe("tokens", () => {
  it("client_secret_post and private_key_jwt both authenticate; the token lifetime is the agent's", async () => {
    const { agent, secret } = await agentWithSecret({ token_ttl_seconds: 1200 });
    const post = await oauth.processClientCredentialsResponse(
      as,
      { client_id: agent.id },
      await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: agent.id },
        oauth.ClientSecretPost(secret),
        new URLSearchParams(),
        insecure,
      ),
    );
    expect(post.expires_in).toBe(1200);

    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    await createCredential(admin, agent.id, { type: "jwk", jwk: { ...(await exportJWK(publicKey)), kid: "k1" } });
    const jwt = await oauth.processClientCredentialsResponse(
      as,
      { client_id: agent.id },
      await oauth.clientCredentialsGrantRequest(
        as,
        { client_id: agent.id },
        oauth.PrivateKeyJwt({ key: privateKey, kid: "k1" }),
        new URLSearchParams(),
        insecure,
      ),
    );
    expect((await introspect(agent.id, secret, jwt.access_token)).active).toBe(true);

    // A key the agent never registered is refused.
    const stranger = await generateKeyPair("ES256", { extractable: true });
    const refused = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: agent.id },
      oauth.PrivateKeyJwt({ key: stranger.privateKey, kid: "k1" }),
      new URLSearchParams(),
      insecure,
    );
    expect(refused.status).toBe(401);
  });

  it("accepts keys of every registered algorithm: a P-384 key without alg, an RSA key used with PS256", async () => {
    const { agent, secret } = await agentWithSecret();
    const ec = await generateKeyPair("ES384", { extractable: true });
    const { alg: _ec, ...ecJwk } = await exportJWK(ec.publicKey);
    await createCredential(admin, agent.id, { type: "jwk", jwk: { ...ecJwk, kid: "p384" } });
    const rsa = await generateKeyPair("PS256", { extractable: true });
    await createCredential(admin, agent.id, { type: "jwk", jwk: { ...(await exportJWK(rsa.publicKey)), kid: "rsa" } });
    for (const [key, kid] of [
      [ec.privateKey, "p384"],
      [rsa.privateKey, "rsa"],
    ] as const) {
      const r = await oauth.processClientCredentialsResponse(
        as,
        { client_id: agent.id },
        await oauth.clientCredentialsGrantRequest(
          as,
          { client_id: agent.id },
          oauth.PrivateKeyJwt({ key, kid }),
          new URLSearchParams(),
          insecure,
        ),
      );
      expect((await introspect(agent.id, secret, r.access_token)).active).toBe(true);
    }
  });

  it("a resource indicator sets the audience", async () => {
    const { agent, secret } = await agentWithSecret();
    const token = await clientToken(as, agent.id, secret, { resource: "https://crm.example/api" });
    expect((await introspect(agent.id, secret, token)).aud).toBe("https://crm.example/api");
    const other = await clientToken(as, agent.id, secret);
    expect((await introspect(agent.id, secret, other)).aud).toBe(`${server.issuer}/api/v1`);
  });

  it("suspending an agent ends its live tokens at once, and resuming does not revive a revoked one", async () => {
    const { agent, secret } = await agentWithSecret();
    const token = await clientToken(as, agent.id, secret);
    const other = await agentWithSecret();
    expect((await introspect(agent.id, secret, token)).active).toBe(true);
    // Another agent learns nothing about this one's token.
    expect((await introspect(other.agent.id, other.secret, token)).active).toBe(false);

    await transitionAgent(admin, agent.id, { transition: "suspend", reason: "incident" });
    await transitionAgent(admin, agent.id, { transition: "resume", reason: "cleared" });
    expect((await introspect(agent.id, secret, token)).active).toBe(true);
    await transitionAgent(admin, agent.id, { transition: "suspend", reason: "incident again" });
    const r = await tokenRequest({ grant_type: "client_credentials" }, basic(agent.id, secret));
    expect(r.body.error).toBe("invalid_client");
    await transitionAgent(admin, agent.id, { transition: "resume", reason: "cleared" });
    const revoked = await fetch(as.revocation_endpoint as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...basic(agent.id, secret) },
      body: new URLSearchParams({ token }),
    });
    expect(revoked.status).toBe(200);
    expect((await introspect(agent.id, secret, token)).active).toBe(false);
  });

  it("stores no secret and no token in clear, anywhere", async () => {
    const { agent, secret } = await agentWithSecret();
    const token = await clientToken(as, agent.id, secret);
    const db = await prisma();
    const dump = JSON.stringify(
      await Promise.all([
        db.credential.findMany(),
        db.token.findMany(),
        db.grant.findMany(),
        db.oidcPayload.findMany(),
        db.auditEvent.findMany(),
        db.automationClient.findMany(),
      ]),
      (_k, v) => (typeof v === "bigint" ? String(v) : v),
    );
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(token);
    const row = await db.token.findFirstOrThrow({ where: { agentId: agent.id } });
    expect(row.hash).toHaveLength(43);
    expect(row.payload).not.toHaveProperty("jti");
  });
});

describe("bad requests get the right OAuth error", () => {
  it("at the token endpoint", async () => {
    const { agent, secret } = await agentWithSecret();
    const auth = basic(agent.id, secret);
    expect((await tokenRequest({}, auth)).body.error).toBe("invalid_request");
    expect((await tokenRequest({ grant_type: "password", username: "a", password: "b" }, auth)).body.error).toBe(
      "unsupported_grant_type",
    );
    expect((await tokenRequest({ grant_type: "implicit" }, auth)).body.error).toBe("unsupported_grant_type");
    expect((await tokenRequest({ grant_type: "client_credentials" })).body.error).toBe("invalid_request");
    expect((await tokenRequest({ grant_type: "client_credentials" }, basic(unique("nobody"), "x"))).body.error).toBe(
      "invalid_client",
    );
    expect(
      (
        await tokenRequest(
          { grant_type: "authorization_code", code: "nope", redirect_uri: "https://x", code_verifier: "v".repeat(43) },
          auth,
        )
      ).body,
    ).toEqual({ error: "invalid_request", error_description: "requested grant type is not allowed for this client" });
    // An agent without redirect URIs holds no user grants, so it may not use the code or refresh grants.
    expect((await tokenRequest({ grant_type: "refresh_token", refresh_token: "nope" }, auth)).body).toEqual({
      error: "invalid_request",
      error_description: "requested grant type is not allowed for this client",
    });
    expect((await tokenRequest({ grant_type: "client_credentials", resource: "not a url" }, auth)).body.error).toBe(
      "invalid_target",
    );
  });

  it("at introspection and revocation", async () => {
    const { agent, secret } = await agentWithSecret();
    const post = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    const auth = basic(agent.id, secret);
    expect((await post(as.introspection_endpoint as string, {}, auth)).body.error).toBe("invalid_request");
    expect((await post(as.introspection_endpoint as string, { token: "x" })).body.error).toBe("invalid_request");
    expect((await post(as.introspection_endpoint as string, { token: "x" }, auth)).body).toEqual({ active: false });
    expect((await post(as.revocation_endpoint as string, {}, auth)).body.error).toBe("invalid_request");
    expect((await post(as.revocation_endpoint as string, { token: "x" }, basic(agent.id, "wrong"))).status).toBe(401);
  });

  it("at the authorization endpoint: PKCE required, code only, exact redirect URIs", async () => {
    const redirect = "https://agent.example/callback";
    const { agent } = await agentWithSecret({ redirect_uris: [redirect] });
    const authorize = async (params: Record<string, string>) => {
      const url = new URL(as.authorization_endpoint as string);
      for (const [k, v] of Object.entries({
        client_id: agent.id,
        response_type: "code",
        redirect_uri: redirect,
        ...params,
      }))
        url.searchParams.set(k, v);
      const r = await fetch(url, { redirect: "manual" });
      const location = r.headers.get("location");
      return {
        status: r.status,
        error: location ? new URL(location, server.issuer).searchParams.get("error") : null,
        location,
      };
    };
    const challenge = await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier());
    expect((await authorize({})).error).toBe("invalid_request");
    expect((await authorize({ code_challenge: challenge, code_challenge_method: "plain" })).error).toBe(
      "invalid_request",
    );
    const implicit = await authorize({
      response_type: "token",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(new URLSearchParams(new URL(implicit.location ?? "").hash.slice(1)).get("error")).toBe(
      "unsupported_response_type",
    );
    // A redirect URI that is not registered exactly gets an error page, never a redirect to it.
    const wrong = await authorize({
      redirect_uri: `${redirect}/other`,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    expect(wrong.status).toBe(400);
    expect(wrong.location).toBeNull();
    // Naming no scope asks for the agent's roles' scopes: an agent with none is refused at once,
    // one with some goes on to the consent page.
    const scopeless = await authorize({ code_challenge: challenge, code_challenge_method: "S256" });
    expect(scopeless.error).toBe("invalid_scope");
    const scope = await createScope(admin, {
      name: unique("docs.read"),
      description: "Read",
      risk: "low",
      tenant: null,
    });
    await assignRole(
      admin,
      agent.id,
      (await createRole(admin, { name: unique("r"), tenant: null, scopes: [scope.id] })).id,
    );
    const ok = await authorize({ code_challenge: challenge, code_challenge_method: "S256" });
    expect(ok.location).toMatch(/^\/oauth\/interaction\//);
  });
});
