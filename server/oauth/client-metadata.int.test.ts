import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { consentRequest } from "@/server/oauth/consent";
import { api, automationToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { authorize } from "@/tests/consent-flow";
import { makeCaller, makeTenant, unique } from "@/tests/factories";
import { type HttpsTestServer, startHttpsServer } from "@/tests/https-server";
import type { OAuthTestServer } from "@/tests/oauth-server";

// MCP clients that identify themselves by a Client ID Metadata Document: the document is served
// over https on loopback (reachable only because the test puts 127.0.0.1 in OUTBOUND_ALLOW), the
// real authorization server fetches it through the guarded fetcher, and oauth4webapi plays the
// public client. A person lets it into a tenant; approval, blocking and the open scopes govern
// what it may get.

const REDIRECT = "http://127.0.0.1:9/callback";
let docs: HttpsTestServer;
let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let adminToken: string;
const served = new Map<string, (url: string) => { status?: number; body: string; headers?: Record<string, string> }>();

function document(url: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    client_id: url,
    client_name: "Research Desk",
    client_uri: "https://research-desk.example",
    redirect_uris: [REDIRECT],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...extra,
  });
}

beforeAll(async () => {
  docs = await startHttpsServer((req, res) => {
    const url = `${docs.origin}${req.url}`;
    const answer = served.get(req.url ?? "")?.(url) ?? { status: 404, body: "{}" };
    res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers }).end(answer.body);
  });
  vi.stubEnv("OUTBOUND_ALLOW", "127.0.0.1");
  reloadEnv();
  server = await startApiTestServer({ OUTBOUND_ALLOW: "127.0.0.1" });
  vi.stubEnv("OUTBOUND_ALLOW", "127.0.0.1");
  reloadEnv();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
});
afterAll(async () => {
  await server?.close();
  await docs?.close();
  vi.unstubAllEnvs();
  reloadEnv();
});

/** A tenant whose open scope is `read`; `write` needs approval and a role. A member to consent. */
async function world(path = `/${unique("client")}.json`) {
  const tenant = await makeTenant();
  const read = await createScope(admin, {
    name: unique("crm.read"),
    description: "Read CRM",
    risk: "low",
    tenant: null,
  });
  const write = await createScope(admin, {
    name: unique("pay.refund"),
    description: "Refund payments",
    risk: "high",
    tenant: null,
  });
  const role = await createRole(admin, { name: unique("refunds"), tenant: null, scopes: [write.id] });
  const set = await api(adminToken, "PUT", `/tenants/${tenant.slug}/mcp-clients/open-scopes`, { scopes: [read.name] });
  expect(set.status).toBe(200);
  const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
  served.set(path, (url) => ({ body: document(url), headers: { "cache-control": "max-age=300" } }));
  return { tenant, member, read: read.name, write: write.name, role, clientId: `${docs.origin}${path}` };
}

type World = Awaited<ReturnType<typeof world>>;

async function tokensFor(w: World, scope: string, opts: { tick?: string[] } = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const callback = await authorize(server, as, {
    agentId: w.clientId,
    redirectUri: REDIRECT,
    user: w.member,
    scope,
    verifier,
    tenant: w.tenant.id,
    ...opts,
  });
  if (!(callback instanceof URL)) return callback;
  if (callback.searchParams.get("error")) return { error: callback.searchParams.get("error") };
  const client: oauth.Client = { client_id: w.clientId, token_endpoint_auth_method: "none" };
  const params = oauth.validateAuthResponse(as, client, callback, "s-1");
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    REDIRECT,
    verifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, client, response);
}

async function introspect(token: string) {
  const { client, secret } = await automationToken(as, admin, { role: "security_admin" });
  const c: oauth.Client = { client_id: client.clientId };
  return oauth.processIntrospectionResponse(
    as,
    c,
    await oauth.introspectionRequest(as, c, oauth.ClientSecretBasic(secret), token, insecure),
  );
}

/** The authorization endpoint's answer for a client id, before any consent. */
async function authorizationAnswer(clientId: string) {
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "x",
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
    code_challenge_method: "S256",
  }).toString();
  const response = await fetch(url, { redirect: "manual" });
  return { status: response.status, location: response.headers.get("location"), body: await response.text() };
}

describe("client ID metadata documents", () => {
  it("are announced in discovery, with public clients", () => {
    expect(as.client_id_metadata_document_supported).toBe(true);
    expect(as.token_endpoint_auth_methods_supported).toContain("none");
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
  });

  it("an unapproved client gets only the open scopes, as a machine identity of the tenant", async () => {
    const w = await world();
    const db = await prisma();

    // The consent page: where the metadata came from, the standing, what can and cannot be granted.
    const start = await authorizationAnswer(w.clientId);
    expect(start.status).toBe(303);
    const uid = (start.location ?? "").split("/").pop() as string;
    const page = await consentRequest(db, w.member, uid, w.tenant.slug);
    expect(page.client).toMatchObject({ clientId: w.clientId, source: "metadata_document", approval: "new" });
    expect(page.agent.name).toBe("Research Desk");

    const tokens = await tokensFor(w, `${w.read} ${w.write}`);
    if (!("access_token" in tokens)) throw new Error(`refused ${JSON.stringify(tokens)}`);
    expect(tokens.scope).toBe(w.read);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");

    const agent = await db.agent.findFirstOrThrow({ where: { tenantId: w.tenant.id, oauthClientId: w.clientId } });
    expect(agent).toMatchObject({
      kind: "MCP_CLIENT",
      status: "ACTIVE",
      clientApproval: "PENDING",
      clientSource: "metadata_document",
      ownerId: w.member.id,
      name: "Research Desk",
    });
    const info = await introspect(tokens.access_token);
    expect(info).toMatchObject({ active: true, client_id: w.clientId, sub: w.member.id, scope: w.read });
    expect(info.tenant_id).toBe(w.tenant.id);
    expect(info.agent_id).toBe(agent.id);

    const row = await db.token.findFirstOrThrow({ where: { agentId: agent.id, kind: "ACCESS_TOKEN" } });
    expect(row).toMatchObject({ tenantId: w.tenant.id, clientId: w.clientId, subjectId: w.member.id });
    const actions = (await db.auditEvent.findMany({ where: { tenantId: w.tenant.id }, select: { action: true } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["mcp_client.connected", "consent.granted", "oauth.token.issued"]));

    // The tenant's list shows it, pending, with its live grant.
    const list = await api(adminToken, "GET", `/tenants/${w.tenant.slug}/mcp-clients`);
    expect(list.status).toBe(200);
    expect(list.body.data?.[0]).toMatchObject({
      client_id: w.clientId,
      approval: "pending",
      source: "metadata_document",
      live_grants: 1,
    });
  });

  it("a request naming no scope gets the tenant's open scopes (Mandate's default), after consent", async () => {
    const w = await world();
    const tokens = await tokensFor(w, "", { tick: [w.read] });
    if (!("access_token" in tokens)) throw new Error(`refused ${JSON.stringify(tokens)}`);
    expect(tokens.scope).toBe(w.read);
  });

  it("approval opens the client's roles' scopes; blocking revokes what it holds and refuses it", async () => {
    const w = await world();
    const first = await tokensFor(w, w.read);
    if (!("access_token" in first)) throw new Error("refused");
    const db = await prisma();
    const agent = await db.agent.findFirstOrThrow({ where: { tenantId: w.tenant.id, oauthClientId: w.clientId } });

    // Step-up before approval: the high-risk scope stays out of reach.
    const before = await tokensFor(w, w.write);
    expect(before).toEqual({ error: "access_denied" });

    const approve = await api(adminToken, "POST", `/mcp-clients/${agent.id}/approve`, {
      reason: "Reviewed by security",
    });
    expect(approve.status).toBe(200);
    await assignRole(admin, agent.id, w.role.id);
    const stepped = await tokensFor(w, w.write);
    if (!("access_token" in stepped)) throw new Error(`refused ${JSON.stringify(stepped)}`);
    expect(stepped.scope).toBe(w.write);

    const block = await api(adminToken, "POST", `/mcp-clients/${agent.id}/block`, { reason: "Misbehaving" });
    expect(block.status).toBe(200);
    expect(block.body).toMatchObject({ approval: "blocked", grants_revoked: 1 });
    for (const token of [first.access_token, stepped.access_token])
      expect((await introspect(token)).active).toBe(false);

    // No new consent, and the refresh token is dead.
    expect(await tokensFor(w, w.read)).toEqual({ refused: 403 });
    const client: oauth.Client = { client_id: w.clientId, token_endpoint_auth_method: "none" };
    const refresh = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      stepped.refresh_token as string,
      insecure,
    );
    await expect(oauth.processRefreshTokenResponse(as, client, refresh)).rejects.toMatchObject({
      error: "invalid_grant",
    });
    const events = await db.auditEvent.findMany({ where: { targetId: agent.id }, select: { action: true } });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["mcp_client.approved", "mcp_client.blocked"]));
  });

  it("a member cannot approve; approving twice is a conflict; bad input is a 400", async () => {
    const w = await world();
    const first = await tokensFor(w, w.read);
    if (!("access_token" in first)) throw new Error("refused");
    const db = await prisma();
    const agent = await db.agent.findFirstOrThrow({ where: { tenantId: w.tenant.id, oauthClientId: w.clientId } });
    const { setClientApproval } = await import("@/server/agents/connected-clients");
    await expect(setClientApproval(w.member, agent.id, "approved", { reason: "I like it" })).rejects.toThrow(
      /no such MCP client/i,
    );
    expect((await api(adminToken, "POST", `/mcp-clients/${agent.id}/approve`, { reason: "ok by me" })).status).toBe(
      200,
    );
    expect((await api(adminToken, "POST", `/mcp-clients/${agent.id}/approve`, { reason: "again" })).status).toBe(409);
    expect((await api(adminToken, "POST", `/mcp-clients/${agent.id}/approve`, { reason: 5 })).status).toBe(400);
    const unknownScope = await api(adminToken, "PUT", `/tenants/${w.tenant.slug}/mcp-clients/open-scopes`, {
      scopes: ["no.such.scope"],
    });
    expect(unknownScope.status).toBe(400);
    expect(JSON.stringify(unknownScope.body)).toContain("no.such.scope");
  });

  it("are fetched once and cached as their cache headers say, within Mandate's bounds", async () => {
    let fetches = 0;
    const path = `/${unique("cached")}.json`;
    served.set(path, (url) => {
      fetches++;
      // max-age=0 asks for no caching: Mandate keeps it for its minimum (60 s) all the same, so a
      // burst of requests is one fetch, and a changed document counts within a minute.
      return { body: document(url), headers: { "cache-control": "max-age=0" } };
    });
    const clientId = `${docs.origin}${path}`;
    for (let i = 0; i < 3; i++) expect((await authorizationAnswer(clientId)).status).toBe(303);
    expect(fetches).toBe(1);
  });

  it("its agent is no OAuth client by its id, takes no credentials, and gives the person who let it in no owner's rights", async () => {
    const w = await world();
    const tokens = await tokensFor(w, w.read);
    if (!("access_token" in tokens)) throw new Error("refused");
    const db = await prisma();
    const agent = await db.agent.findFirstOrThrow({ where: { tenantId: w.tenant.id, oauthClientId: w.clientId } });
    // client_credentials with the agent's id: no such client (it is a client by its URL only).
    const byId = await fetch(as.token_endpoint as string, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: agent.id,
        client_secret: "x".repeat(40),
      }),
    });
    expect(byId.status).toBe(401);
    const { createCredential } = await import("@/server/agents/credentials");
    await expect(createCredential(admin, agent.id, { type: "client_secret" })).rejects.toThrow(/takes no credentials/);
    // The member who let it in is recorded as its owner, without an owner's rights over it.
    await expect(createCredential(w.member, agent.id, { type: "client_secret" })).rejects.toThrow(/no such agent/i);
    const { getAgentDetail } = await import("@/server/agents/get-agent");
    await expect(getAgentDetail(w.member, agent.id)).rejects.toThrow(/no such agent/i);
  });

  describe("documents that are refused, with a clear error and no client", () => {
    it.each([
      ["on a loopback address not allowed", "blocked", /127\.0\.0\.1|loopback|fetch failed/i],
      ["larger than 5 KiB", "huge", /fetch failed|too large/i],
      ["naming another client_id", "mismatch", /client_id does not match/i],
      ["asking for a shared secret", "secret", /shared-secret|client_secret/i],
      [
        "claiming Mandate's own properties",
        "claims",
        /must not set Mandate.{1,6}s own properties \(mandate_kind, mandate_tenant_id\)/,
      ],
    ])("a document %s", async (_what, kind, message) => {
      const path = `/${unique(kind)}.json`;
      served.set(path, (url) => {
        if (kind === "huge") return { body: document(url, { padding: "x".repeat(6 * 1024) }) };
        if (kind === "mismatch") return { body: document(`${url}?other`) };
        if (kind === "secret") return { body: document(url, { token_endpoint_auth_method: "client_secret_basic" }) };
        if (kind === "claims") return { body: document(url, { mandate_kind: "agent", mandate_tenant_id: "x" }) };
        return { body: document(url) };
      });
      if (kind === "blocked") {
        vi.stubEnv("OUTBOUND_ALLOW", "");
        reloadEnv();
      }
      try {
        const answer = await authorizationAnswer(`${docs.origin}${path}`);
        expect(answer.status).toBe(400);
        expect(answer.body).toMatch(/invalid_client/);
        expect(answer.body).toMatch(message);
      } finally {
        vi.stubEnv("OUTBOUND_ALLOW", "127.0.0.1");
        reloadEnv();
      }
      const db = await prisma();
      expect(await db.agent.count({ where: { oauthClientId: `${docs.origin}${path}` } })).toBe(0);
    });

    it("a client id that is not an https URL is no client at all", async () => {
      const answer = await authorizationAnswer(`http://127.0.0.1:9/client.json`);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatch(/invalid_client/);
    });
  });
});
