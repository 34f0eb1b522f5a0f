import fc from "fast-check";
import { exportJWK, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { updateAgent } from "@/server/agents/update-agent";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { accessTokenHash, DpopProofError, verifyDpopProof } from "@/server/oauth/dpop";
import { purgeExpiredOAuthState } from "@/server/oauth/maintenance";
import { createPolicy } from "@/server/policies/policies";
import { updateTenantSettings } from "@/server/tenants/update-settings";
import { discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { authorize } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { ACCESS, EXCHANGE } from "@/tests/token-exchange";

// DPoP (RFC 9449) end to end, through a standard OAuth client's DPoP support (oauth4webapi's
// DPoP handle): tokens bound at the token endpoint (client credentials, authorization code, token
// exchange), introspection's cnf.jkt, and the decision API refusing what a thief could send: a
// replayed proof, a proof for another URL or method, the token as Bearer, another key's proof.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
});
afterAll(() => server?.close());

const decisionsUrl = () => `${server.issuer}/api/v1/decisions`;

/** A tenant with a scope, a policy permitting it, and an active agent holding it (a client secret). */
async function world(opts: { dpopRequired?: boolean; redirectUris?: string[] } = {}) {
  const tenant = await makeTenant();
  const tag = unique("d").toLowerCase();
  const scope = await createScope(admin, {
    name: `docs.read.${tag}`,
    description: "read",
    risk: "low",
    tenant: tenant.id,
  });
  const role = await createRole(admin, { name: `reader-${tag}`, tenant: tenant.id, scopes: [scope.id] });
  await createPolicy(admin, {
    name: `Read ${tag}`,
    tenant: tenant.id,
    text: `permit (principal is Agent, action == Action::"${scope.name}", resource);`,
  });
  const agent = await makeAgent(admin, tenant.id, {
    status: "active",
    dpop_required: opts.dpopRequired ?? false,
    redirect_uris: opts.redirectUris ?? [],
  });
  await assignRole(admin, agent.id, role.id);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  return { tenant, agent, secret: secret as string, scope: scope.name };
}

type Agentish = { agent: { id: string }; secret: string };

const clientOf = (id: string): oauth.Client => ({ client_id: id });

/** A token response, or the OAuth error the request was refused with. */
type Outcome =
  | { tokens: oauth.TokenEndpointResponse; error?: undefined }
  | { tokens?: undefined; error: string; description: string };

async function outcome(response: Promise<oauth.TokenEndpointResponse>): Promise<Outcome> {
  try {
    return { tokens: await response };
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError) return { error: e.error, description: e.error_description ?? "" };
    throw e;
  }
}

/** client_credentials, with a DPoP proof when given a handle; the token response or the OAuth error. */
async function token(a: Agentish, scope: string, dpop?: oauth.DPoPHandle) {
  const client = { client_id: a.agent.id };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(a.secret),
    new URLSearchParams({ scope }),
    { ...insecure, ...(dpop ? { DPoP: dpop } : {}) },
  );
  return outcome(oauth.processClientCredentialsResponse(as, client, response));
}

/** A token the agent must get (a refusal fails the test). */
async function issued(a: Agentish, scope: string, dpop?: oauth.DPoPHandle) {
  const result = await token(a, scope, dpop);
  if (result.error !== undefined) throw new Error(`token refused: ${result.error} ${result.description}`);
  return result.tokens;
}

async function introspect(a: Agentish, value: string) {
  const client = { client_id: a.agent.id };
  return oauth.processIntrospectionResponse(
    as,
    client,
    await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(a.secret), value, insecure),
  );
}

interface Sent {
  headers: Record<string, string>;
  body: string;
}

type Answer = { decision: string; code: string; reason: string };

/**
 * POST /api/v1/decisions through oauth4webapi's protected resource request: `Authorization: DPoP`
 * and a proof when given a handle, Bearer otherwise. The proof can be made for another URL or
 * method than the request is sent to (the request always goes to the decisions URL, as a POST).
 * Returns the answer and what was sent, for a replay.
 */
async function decide(
  value: string,
  action: string,
  opts: { dpop?: oauth.DPoPHandle; proofUrl?: string; proofMethod?: string } = {},
): Promise<{ answer: Answer; sent: Sent }> {
  let sent: Sent | undefined;
  const response = await oauth.protectedResourceRequest(
    value,
    opts.proofMethod ?? "POST",
    new URL(opts.proofUrl ?? decisionsUrl()),
    new Headers({ "content-type": "application/json" }),
    JSON.stringify({ action, resource: { type: "Document", id: "d-1" } }),
    {
      ...insecure,
      ...(opts.dpop ? { DPoP: opts.dpop } : {}),
      [oauth.customFetch]: (_url, init) => {
        sent = { headers: init.headers, body: init.body as string };
        return fetch(decisionsUrl(), { method: "POST", headers: init.headers, body: init.body as string });
      },
    },
  );
  return { answer: (await response.json()) as Answer, sent: sent as Sent };
}

/** Sends exactly what was sent before (a captured request, replayed by whoever saw it). */
async function replay(sent: Sent): Promise<Answer> {
  const response = await fetch(decisionsUrl(), { method: "POST", headers: sent.headers, body: sent.body });
  return (await response.json()) as Answer;
}

/** The codes of the agent's recorded decisions, oldest first. */
async function recordedCodes(agentId: string): Promise<string[]> {
  const events = await (await prisma()).auditEvent.findMany({
    where: { action: "decision.evaluate", actorId: agentId },
    orderBy: { id: "asc" },
  });
  return events.map((e) => (e.data as { code: string }).code);
}

describe("DPoP-bound tokens (RFC 9449)", () => {
  it("client credentials with a proof: token_type DPoP, cnf.jkt in introspection and on the row", async () => {
    const w = await world();
    const key = await oauth.generateKeyPair("ES256");
    const dpop = oauth.DPoP(clientOf(w.agent.id), key);
    const tokens = await issued(w, w.scope, dpop);
    expect(tokens.token_type).toBe("dpop");
    const jkt = await dpop.calculateThumbprint();
    const seen = await introspect(w, tokens.access_token);
    expect(seen.active).toBe(true);
    expect(seen.cnf?.jkt).toBe(jkt);
    expect(seen.token_type).toBe("DPoP");
    const row = await (await prisma()).token.findFirstOrThrow({ where: { agentId: w.agent.id } });
    expect((row.payload as { jkt?: string }).jkt).toBe(jkt);

    // Without a proof the same agent gets a bearer token, which introspection says is unbound.
    const plain = await issued(w, w.scope);
    expect(plain.token_type).toBe("bearer");
    expect((await introspect(w, plain.access_token)).cnf).toBeUndefined();
  });

  it("a decision with a valid proof allows; replayed, another URL, another method, Bearer, another key: denied and recorded", async () => {
    const w = await world();
    const key = await oauth.generateKeyPair("ES256");
    const dpop = oauth.DPoP(clientOf(w.agent.id), key);
    const { access_token: value } = await issued(w, w.scope, dpop);

    const first = await decide(value, w.scope, { dpop });
    expect(first.answer).toMatchObject({ decision: "allow", code: "permitted" });
    expect(first.sent.headers.authorization).toBe(`DPoP ${value}`);
    expect(first.sent.headers.dpop).toBeTruthy();
    // Each proof once: a new proof for the next request is fine.
    expect((await decide(value, w.scope, { dpop })).answer.decision).toBe("allow");

    // The captured request sent again, proof and all.
    const replayed = await replay(first.sent);
    expect(replayed).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    expect(replayed.reason).toMatch(/already used/);

    const otherUrl = await decide(value, w.scope, { dpop, proofUrl: `${server.issuer}/api/v1/agents` });
    expect(otherUrl.answer).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    expect(otherUrl.answer.reason).toMatch(/api\/v1\/agents/);

    const otherMethod = await decide(value, w.scope, { dpop, proofMethod: "PUT" });
    expect(otherMethod.answer).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    expect(otherMethod.answer.reason).toMatch(/PUT/);

    // The token stolen without its key: as Bearer, or with a proof by the thief's own key.
    const stolen = await decide(value, w.scope);
    expect(stolen.sent.headers.authorization).toBe(`Bearer ${value}`);
    expect(stolen.answer).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    const thief = oauth.DPoP(clientOf(w.agent.id), await oauth.generateKeyPair("ES256"));
    const foreign = await decide(value, w.scope, { dpop: thief });
    expect(foreign.answer).toMatchObject({ decision: "deny", code: "dpop_invalid" });
    expect(foreign.answer.reason).toMatch(/another key/);

    // The proof must be for this token (ath): the agent's proof for another of its tokens fails.
    const { access_token: second } = await issued(w, w.scope, dpop);
    const wrongAth = await fetch(decisionsUrl(), {
      method: "POST",
      headers: { ...first.sent.headers, authorization: `DPoP ${second}` },
      body: first.sent.body,
    });
    expect(await wrongAth.json()).toMatchObject({ decision: "deny", code: "dpop_invalid" });

    // The key holder is still served, and every refusal is on the audit record.
    expect((await decide(value, w.scope, { dpop })).answer.decision).toBe("allow");
    expect(await recordedCodes(w.agent.id)).toEqual([
      "permitted",
      "permitted",
      "dpop_invalid",
      "dpop_invalid",
      "dpop_invalid",
      "dpop_invalid",
      "dpop_invalid",
      "dpop_invalid",
      "permitted",
    ]);
  });

  it("an unbound token presented as DPoP is refused; as Bearer it works while DPoP is optional", async () => {
    const w = await world();
    const plain = await issued(w, w.scope);
    const dpop = oauth.DPoP(clientOf(w.agent.id), await oauth.generateKeyPair("ES256"));
    expect((await decide(plain.access_token, w.scope, { dpop })).answer).toMatchObject({ code: "dpop_invalid" });
    expect((await decide(plain.access_token, w.scope)).answer).toMatchObject({ decision: "allow" });
  });

  it("an agent that requires DPoP: no token without a proof, a token with one, its old unbound tokens denied", async () => {
    const w = await world();
    const before = await issued(w, w.scope);
    await updateAgent(admin, w.agent.id, { dpop_required: true });
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "agent.update", targetId: w.agent.id },
      orderBy: { id: "desc" },
    });
    expect(event.data).toEqual({ before: { dpop_required: false }, after: { dpop_required: true } });

    const refused = await token(w, w.scope);
    expect(refused).toMatchObject({ error: "invalid_grant" });
    const dpop = oauth.DPoP(clientOf(w.agent.id), await oauth.generateKeyPair("ES256"));
    const bound = await issued(w, w.scope, dpop);
    expect((await decide(bound.access_token, w.scope, { dpop })).answer.decision).toBe("allow");

    const old = await decide(before.access_token, w.scope);
    expect(old.answer).toMatchObject({ decision: "deny", code: "dpop_required" });
    expect(await recordedCodes(w.agent.id)).toEqual(["permitted", "dpop_required"]);
  });

  it("a tenant that requires DPoP: every agent of it likewise, set and audited as a setting", async () => {
    const w = await world();
    const before = await issued(w, w.scope);
    const settings = await updateTenantSettings(admin, w.tenant.id, { dpop_required: true });
    expect(settings.dpopRequired).toBe(true);
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "tenant.settings.update", tenantId: w.tenant.id },
      orderBy: { id: "desc" },
    });
    expect(event.data).toEqual({ before: { dpop_required: false }, after: { dpop_required: true } });

    expect(await token(w, w.scope)).toMatchObject({ error: "invalid_grant" });
    const dpop = oauth.DPoP(clientOf(w.agent.id), await oauth.generateKeyPair("ES256"));
    const bound = await issued(w, w.scope, dpop);
    expect((await decide(bound.access_token, w.scope, { dpop })).answer.decision).toBe("allow");
    expect((await decide(before.access_token, w.scope)).answer).toMatchObject({ code: "dpop_required" });

    await updateTenantSettings(admin, w.tenant.id, { dpop_required: false });
    expect((await issued(w, w.scope)).token_type).toBe("bearer");
  });

  it("the settings refuse a value that is not true or false, naming the field, and change nothing", async () => {
    const w = await world();
    await expect(updateTenantSettings(admin, w.tenant.id, { dpop_required: "yes" })).rejects.toMatchObject({
      details: { dpop_required: [expect.stringMatching(/true or false/)] },
    });
    await expect(updateAgent(admin, w.agent.id, { dpop_required: 1 as never })).rejects.toMatchObject({
      details: { dpop_required: [expect.stringMatching(/true or false/)] },
    });
    const db = await prisma();
    expect((await db.tenant.findUniqueOrThrow({ where: { id: w.tenant.id } })).dpopRequired).toBe(false);
    expect((await db.agent.findUniqueOrThrow({ where: { id: w.agent.id } })).dpopRequired).toBe(false);
  });

  it("authorization code with a proof binds the access token; the refresh binds the next one", async () => {
    const redirectUri = "https://agent.example/callback";
    const w = await world({ redirectUris: [redirectUri] });
    const member = await makeCaller({ tenants: { [w.tenant.id]: "member" } });
    const verifier = oauth.generateRandomCodeVerifier();
    const callback = await authorize(server, as, {
      agentId: w.agent.id,
      redirectUri,
      user: member,
      scope: w.scope,
      verifier,
    });
    if (!(callback instanceof URL)) throw new Error(`consent refused with ${callback.refused}`);
    const client = clientOf(w.agent.id);
    const auth = oauth.ClientSecretBasic(w.secret);
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        oauth.validateAuthResponse(as, client, callback, "s-1"),
        redirectUri,
        verifier,
        { ...insecure, DPoP: dpop },
      ),
    );
    expect(tokens.token_type).toBe("dpop");
    const jkt = await dpop.calculateThumbprint();
    expect((await introspect(w, tokens.access_token)).cnf?.jkt).toBe(jkt);
    expect((await decide(tokens.access_token, w.scope, { dpop })).answer.decision).toBe("allow");
    expect((await decide(tokens.access_token, w.scope)).answer.code).toBe("dpop_invalid");

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token as string, {
        ...insecure,
        DPoP: dpop,
      }),
    );
    expect(refreshed.token_type).toBe("dpop");
    expect((await introspect(w, refreshed.access_token)).cnf?.jkt).toBe(jkt);
  });

  it("token exchange binds the exchanged token to the proof on the exchange; a required agent needs one", async () => {
    const w = await world();
    const tag = unique("x").toLowerCase();
    const helper = await makeAgent(admin, w.tenant.id, { status: "active", name: `helper-${tag}` });
    const role = await (await prisma()).roleAssignment.findFirstOrThrow({ where: { agentId: w.agent.id } });
    await assignRole(admin, helper.id, role.roleId);
    const h = {
      agent: helper,
      secret: (await createCredential(admin, helper.id, { type: "client_secret" })).secret as string,
    };
    const origin = await issued(w, w.scope);

    const client = clientOf(helper.id);
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    const exchange = async (handle?: oauth.DPoPHandle) => {
      const response = await oauth.genericTokenEndpointRequest(
        as,
        client,
        oauth.ClientSecretBasic(h.secret),
        EXCHANGE,
        new URLSearchParams({ subject_token: origin.access_token, subject_token_type: ACCESS }),
        { ...insecure, ...(handle ? { DPoP: handle } : {}) },
      );
      return outcome(oauth.processGenericTokenEndpointResponse(as, client, response));
    };
    const exchanged = await exchange(dpop);
    if (exchanged.error !== undefined) throw new Error(exchanged.description);
    const hop = exchanged.tokens;
    expect(hop.token_type).toBe("dpop");
    const seen = await introspect(h, hop.access_token);
    expect(seen.cnf?.jkt).toBe(await dpop.calculateThumbprint());
    expect(seen.act).toMatchObject({ sub: helper.id });
    expect((await decide(hop.access_token, w.scope, { dpop })).answer.decision).toBe("allow");
    expect((await decide(hop.access_token, w.scope)).answer.code).toBe("dpop_invalid");

    // Without a proof the exchanged token is a bearer token, unless the actor must bind its tokens.
    const plain = await exchange();
    expect(plain.tokens?.token_type).toBe("bearer");
    await updateAgent(admin, helper.id, { dpop_required: true });
    expect(await exchange()).toMatchObject({ error: "invalid_grant" });
    expect((await exchange(dpop)).tokens?.token_type).toBe("dpop");
  });

  it("one proof sent twice at once to the token endpoint binds one token: the other request is refused", async () => {
    const w = await world();
    const keys = await oauth.generateKeyPair("ES256");
    const proof = await new SignJWT({ htm: "POST", htu: as.token_endpoint as string })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(keys.publicKey) })
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .sign(keys.privateKey);
    const send = () =>
      fetch(as.token_endpoint as string, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${w.agent.id}:${w.secret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
          dpop: proof,
        },
        body: new URLSearchParams({ grant_type: "client_credentials", scope: w.scope }),
      });
    const answers = await Promise.all(Array.from({ length: 8 }, send));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
    const live = await (await prisma()).token.count({ where: { agentId: w.agent.id, revokedAt: null } });
    expect(live).toBe(1);
  });

  it("the replay store takes a jti once even when two saves race (the library finds, then saves)", async () => {
    const { adapterFor } = await import("@/server/oauth/adapter");
    const store = adapterFor("ReplayDetection");
    const id = unique("replay");
    const saves = await Promise.allSettled(
      Array.from({ length: 4 }, () => store.upsert(id, { iss: "agent", jti: id } as never, 60)),
    );
    expect(saves.filter((s) => s.status === "fulfilled")).toHaveLength(1);
    const refused = saves.find((s) => s.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ error: "invalid_request" });
  });

  it("a replayed proof at the token exchange is refused", async () => {
    const w = await world();
    const origin = await issued(w, w.scope);
    const client = clientOf(w.agent.id);
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    let proof = "";
    const send = (extra: Record<string, string> = {}) =>
      oauth.genericTokenEndpointRequest(
        as,
        client,
        oauth.ClientSecretBasic(w.secret),
        EXCHANGE,
        new URLSearchParams({ subject_token: origin.access_token, subject_token_type: ACCESS }),
        {
          ...insecure,
          DPoP: dpop,
          [oauth.customFetch]: (url, init) => {
            proof ||= init.headers.dpop;
            return fetch(url, { ...init, headers: { ...init.headers, ...extra } });
          },
        },
      );
    expect((await send()).status).toBe(200);
    const again = await send({ dpop: proof });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_dpop_proof" });
  });

  it("the admin API refuses an automation client's DPoP-bound token, which it cannot check", async () => {
    const { client, secret } = await createAutomationClient(admin, {
      client_id: unique("ci").toLowerCase(),
      name: "CI job",
      role: "security_admin",
    });
    const c = clientOf(client.clientId);
    const dpop = oauth.DPoP(c, await oauth.generateKeyPair("ES256"));
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      c,
      await oauth.clientCredentialsGrantRequest(as, c, oauth.ClientSecretBasic(secret), new URLSearchParams(), {
        ...insecure,
        DPoP: dpop,
      }),
    );
    const response = await fetch(`${server.issuer}/api/v1/tenants`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(response.status).toBe(401);
    expect((await response.json()).message).toMatch(/DPoP-bound/);
  });

  it("an agent polls its approvals with its bound token only with a proof for that GET", async () => {
    const w = await world();
    const dpop = oauth.DPoP(clientOf(w.agent.id), await oauth.generateKeyPair("ES256"));
    const { access_token: value } = await issued(w, w.scope, dpop);
    const url = new URL(`${server.issuer}/api/v1/approvals/00000000-0000-4000-8000-000000000000`);
    const asBearer = await fetch(url, { headers: { authorization: `Bearer ${value}` } });
    expect(asBearer.status).toBe(401);
    const withProof = await oauth.protectedResourceRequest(value, "GET", url, new Headers(), null, {
      ...insecure,
      DPoP: dpop,
    });
    // Past the token check: this agent has no such request.
    expect(withProof.status).toBe(404);
  });

  it("spent proofs are purged once their iat is out of the window", async () => {
    const db = await prisma();
    await db.dpopProof.create({ data: { jkt: "k", jti: unique("j"), expiresAt: new Date(Date.now() - 1000) } });
    const live = await db.dpopProof.create({
      data: { jkt: "k", jti: unique("j"), expiresAt: new Date(Date.now() + 60_000) },
    });
    const { dpopProofs } = await purgeExpiredOAuthState();
    expect(dpopProofs).toBeGreaterThanOrEqual(1);
    expect(await db.dpopProof.findMany({ where: { jkt: "k" } })).toEqual([live]);
  });

  it("refuses any header that is not a proof for this request, and never throws anything else", async () => {
    const pair = await oauth.generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(pair.publicKey);
    const url = decisionsUrl();
    const request = { method: "POST", url, accessToken: "t0ken" };
    const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new SignJWT(claims).setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk, ...header }).sign(pair.privateKey);
    const good = {
      htm: "POST",
      htu: url,
      jti: "j-1",
      iat: Math.floor(Date.now() / 1000),
      ath: accessTokenHash("t0ken"),
    };
    // The control: the well-formed proof passes, with its query and fragment ignored.
    await expect(verifyDpopProof(await sign({ ...good, htu: `${url}?x=1#f` }), request)).resolves.toMatchObject({
      jti: "j-1",
    });
    const refused = async (proof: string) => {
      const error = await verifyDpopProof(proof, request).catch((e) => e);
      expect(error).toBeInstanceOf(DpopProofError);
    };
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 400 }), refused), { numRuns: 200 });
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            htm: fc.constantFrom("GET", "PUT", "post", "DELETE"),
            htu: fc.constantFrom(`${url}/x`, `${server.issuer}/api/v1`, "not a url", url.replace("http:", "https:")),
            iat: fc.oneof(fc.integer({ min: 61, max: 10_000 }), fc.integer({ min: -10_000, max: -61 })),
            ath: fc.string({ maxLength: 50 }),
            jti: fc.constantFrom("", 7, "x\u0000y"),
            nonce: fc.string({ minLength: 1, maxLength: 10 }),
          },
          { requiredKeys: [] },
        ),
        fc.constantFrom({}, { typ: "JWT" }, { jwk: { ...jwk, d: "AAAA" } }),
        async (bad, header) => {
          fc.pre(Object.keys(bad).length > 0 || Object.keys(header).length > 0);
          const claims = { ...good, ...bad, iat: good.iat + ((bad.iat as number | undefined) ?? 0) };
          await refused(await sign(claims, header).catch(() => "unsignable"));
        },
      ),
      { numRuns: 150 },
    );
  });
});
