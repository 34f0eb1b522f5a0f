import fc from "fast-check";
import * as oauth from "oauth4webapi";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { api, automationToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { authorize } from "@/tests/consent-flow";
import { makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";

// Dynamic Client Registration (RFC 7591), deprecated by MCP in favour of client metadata documents
// but still used: off by default; when DCR_ENABLED, rate-limited per address, public clients only
// (no shared secrets: Mandate keeps none it could not hash), and a registered client is pending in
// any tenant a person lets it into, exactly like a metadata-document client.

const REDIRECT = "http://127.0.0.1:9/callback";
const registration = (redirect = REDIRECT, extra: Record<string, unknown> = {}) => ({
  client_name: "Notes MCP client",
  redirect_uris: [redirect],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
  ...extra,
});

async function register(server: OAuthTestServer, body: unknown) {
  const response = await fetch(`${server.issuer}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

describe("dynamic client registration, off by default", () => {
  let server: OAuthTestServer;
  beforeAll(async () => {
    server = await startApiTestServer();
  });
  afterAll(() => server?.close());

  it("is not announced and registers nothing", async () => {
    const as = await discover(server);
    expect(as.registration_endpoint).toBeUndefined();
    const answer = await register(server, registration());
    expect(answer.status).toBe(404);
  });
});

describe("dynamic client registration, DCR_ENABLED", () => {
  let server: OAuthTestServer;
  let as: oauth.AuthorizationServer;
  beforeAll(async () => {
    vi.stubEnv("DCR_ENABLED", "true");
    vi.stubEnv("RATE_LIMIT_REGISTRATION_PER_MINUTE", "1000");
    reloadEnv();
    server = await startApiTestServer({ DCR_ENABLED: "true" });
    vi.stubEnv("DCR_ENABLED", "true");
    vi.stubEnv("RATE_LIMIT_REGISTRATION_PER_MINUTE", "1000");
    reloadEnv();
    as = await discover(server);
  });
  afterEach(() => {
    vi.stubEnv("RATE_LIMIT_REGISTRATION_PER_MINUTE", "1000");
    reloadEnv();
  });
  afterAll(async () => {
    await server?.close();
    vi.unstubAllEnvs();
    reloadEnv();
  });

  it("registers a public client, which a person lets into a tenant as a pending client", async () => {
    expect(as.registration_endpoint).toBe(`${server.issuer}/oauth/register`);
    const registered = await register(server, registration());
    expect(registered.status).toBe(201);
    const clientId = registered.body.client_id as string;
    expect(clientId).toMatch(/^dcr-[0-9a-f-]{36}$/);
    expect(registered.body.client_secret).toBeUndefined();
    // The registration access token is kept only as its key's hash.
    const db = await prisma();
    const stored = await db.oidcPayload.findMany({ where: { model: "RegistrationAccessToken" } });
    expect(JSON.stringify(stored)).not.toContain(registered.body.registration_access_token as string);
    expect(stored.some((row) => row.key.length > 0)).toBe(true);
    // On record: who registered what, from where.
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "oauth.client.registered", targetId: clientId },
    });
    expect(event.data).toMatchObject({ client_name: "Notes MCP client", token_endpoint_auth_method: "none" });

    const admin = await makeCaller({ global: "security_admin" });
    const tenant = await makeTenant();
    const read = await createScope(admin, {
      name: unique("notes.read"),
      description: "Read notes",
      risk: "low",
      tenant: null,
    });
    const { token } = await automationToken(as, admin, { role: "security_admin" });
    expect(
      (await api(token, "PUT", `/tenants/${tenant.slug}/mcp-clients/open-scopes`, { scopes: [read.name] })).status,
    ).toBe(200);
    const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await authorize(server, as, {
      agentId: clientId,
      redirectUri: REDIRECT,
      user: member,
      scope: read.name,
      verifier,
      tenant: tenant.id,
    });
    if (!(callback instanceof URL)) throw new Error(`refused ${callback.refused}`);
    const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: "none" };
    const params = oauth.validateAuthResponse(as, client, callback, "s-1");
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT, verifier, insecure),
    );
    expect(tokens.scope).toBe(read.name);
    const agent = await db.agent.findFirstOrThrow({ where: { tenantId: tenant.id, oauthClientId: clientId } });
    expect(agent).toMatchObject({ kind: "MCP_CLIENT", clientSource: "registration", clientApproval: "PENDING" });
    const list = await api(token, "GET", `/tenants/${tenant.slug}/mcp-clients?approval=pending`);
    expect(list.body.data?.map((c) => c.client_id)).toEqual([clientId]);
  });

  it("refuses shared secrets and bad metadata with a 400, storing nothing", async () => {
    const db = await prisma();
    const before = await db.oidcPayload.count({ where: { model: "Client" } });
    for (const body of [
      registration(REDIRECT, { token_endpoint_auth_method: "client_secret_basic" }),
      registration(REDIRECT, { token_endpoint_auth_method: "client_secret_post" }),
      registration(REDIRECT, { mandate_kind: "automation" }),
      { ...registration(), redirect_uris: "not a list" },
      { ...registration(), client_name: 42 },
      "just a string",
    ]) {
      const answer = await register(server, body);
      expect(answer.status).toBe(400);
      expect(String(answer.body.error)).toMatch(/invalid_client_metadata|invalid_redirect_uri|invalid_request/);
    }
    expect(await db.oidcPayload.count({ where: { model: "Client" } })).toBe(before);
  });

  it("answers generated registrations with a 201 or a 4xx, never a server error", async () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constantFrom("none", "client_secret_basic", "private_key_jwt", "https://x.example/cb", REDIRECT, "\u0000"),
    );
    const keys = fc.constantFrom(
      "client_name",
      "redirect_uris",
      "grant_types",
      "response_types",
      "token_endpoint_auth_method",
      "jwks",
      "scope",
      "client_uri",
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keys, field, { maxKeys: 4 }), async (changes) => {
        const answer = await register(server, { ...registration(), ...changes });
        expect([201, 400]).toContain(answer.status);
        if (answer.status === 201) expect(answer.body.client_secret).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });

  it("is rate-limited per address", async () => {
    vi.stubEnv("RATE_LIMIT_REGISTRATION_PER_MINUTE", "2");
    reloadEnv();
    const db = await prisma();
    const before = await db.oidcPayload.count({ where: { model: "Client" } });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await register(server, registration())).status);
    // Two a minute from this address (the registrations above count too): even across a
    // minute's edge, at most two of these four get through.
    expect(answers.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    const registered = answers.filter((s) => s === 201).length;
    expect(await db.oidcPayload.count({ where: { model: "Client" } })).toBe(before + registered);
  });
});
