import { createHash } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { reloadEnv } from "@/lib/env";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { currentDpopNonce } from "@/server/oauth/dpop";
import { createPolicy } from "@/server/policies/policies";
import { discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { MandateClient } from "../../sdk/src/index";

// DPoP nonces (RFC 9449 §8, §9), on when DPOP_NONCE_SECRET is set: the token endpoint
// (oidc-provider's nonces, which the token exchange accepts too) and the decision API (nonces of
// its own) refuse a proof without a nonce they handed out, and hand out one to retry with. A
// standard client (oauth4webapi) and Mandate's SDK both retry, and get through.

const SECRET = "n".repeat(40);
let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;

beforeAll(async () => {
  vi.stubEnv("DPOP_NONCE_SECRET", SECRET);
  reloadEnv();
  server = await startApiTestServer({ DPOP_NONCE_SECRET: SECRET });
  vi.stubEnv("DPOP_NONCE_SECRET", SECRET);
  reloadEnv();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
});
afterAll(async () => {
  await server?.close();
  vi.unstubAllEnvs();
  reloadEnv();
});

async function world() {
  const tenant = await makeTenant();
  const tag = unique("n").toLowerCase();
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
  const make = async () => {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    await assignRole(admin, agent.id, role.id);
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    return { id: agent.id, secret: secret as string };
  };
  return { scope: scope.name, first: await make(), second: await make() };
}

const decisionsUrl = () => `${server.issuer}/api/v1/decisions`;

describe("DPoP nonces (DPOP_NONCE_SECRET)", () => {
  it("the token endpoint asks for its nonce, and a standard client retries with it", async () => {
    const w = await world();
    const client: oauth.Client = { client_id: w.first.id };
    const dpop = oauth.DPoP(client, await oauth.generateKeyPair("ES256"));
    const request = () =>
      oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(w.first.secret), new URLSearchParams(), {
        ...insecure,
        DPoP: dpop,
      });
    const refused = await oauth.processClientCredentialsResponse(as, client, await request()).catch((e) => e);
    expect(oauth.isDPoPNonceError(refused)).toBe(true);
    const tokens = await oauth.processClientCredentialsResponse(as, client, await request());
    expect(tokens.token_type).toBe("dpop");
  });

  it("the decision API denies a proof without its nonce, handing one out, allows with it, and refuses a stale one", async () => {
    const w = await world();
    const client: oauth.Client = { client_id: w.first.id };
    const keys = await oauth.generateKeyPair("ES256");
    const dpop = oauth.DPoP(client, keys);
    const request = () =>
      oauth.clientCredentialsGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(w.first.secret),
        new URLSearchParams({ scope: w.scope }),
        {
          ...insecure,
          DPoP: dpop,
        },
      );
    await oauth.processClientCredentialsResponse(as, client, await request()).catch(() => undefined);
    const { access_token: token } = await oauth.processClientCredentialsResponse(as, client, await request());

    const jwk = await exportJWK(keys.publicKey);
    const send = async (nonce?: string) => {
      const proof = await new SignJWT({
        htm: "POST",
        htu: decisionsUrl(),
        ath: createHash("sha256").update(token).digest("base64url"),
        ...(nonce ? { nonce } : {}),
      })
        .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .sign(keys.privateKey);
      const response = await fetch(decisionsUrl(), {
        method: "POST",
        headers: { authorization: `DPoP ${token}`, dpop: proof, "content-type": "application/json" },
        body: JSON.stringify({ action: w.scope, resource: { type: "Document", id: "d-1" } }),
      });
      return { nonce: response.headers.get("dpop-nonce"), answer: (await response.json()) as Record<string, unknown> };
    };

    const first = await send();
    expect(first.answer).toMatchObject({ decision: "deny", code: "use_dpop_nonce" });
    expect(first.nonce).toBeTruthy();
    expect(first.answer.dpop_nonce).toBe(first.nonce);
    expect(await send(first.nonce as string)).toMatchObject({ answer: { decision: "allow", code: "permitted" } });

    // A nonce of ten minutes ago is beyond the accepted steps; one made up never was valid.
    const stale = currentDpopNonce("resource", new Date(Date.now() - 10 * 60_000)) as string;
    expect((await send(stale)).answer).toMatchObject({ decision: "deny", code: "use_dpop_nonce" });
    expect((await send("made-up-nonce")).answer).toMatchObject({ decision: "deny", code: "use_dpop_nonce" });
    // The token endpoint's nonce is not the decision API's (RFC 9449 §9: kept apart).
    expect((await send(currentDpopNonce("token") as string)).answer).toMatchObject({ code: "use_dpop_nonce" });
  });

  it("the SDK gets tokens, decides and exchanges through the nonces transparently", async () => {
    const w = await world();
    const first = new MandateClient(
      { issuer: server.issuer, clientId: w.first.id, clientSecret: w.first.secret },
      { scope: [w.scope], dpop: true },
    );
    const answer = await first.actions.check({ action: w.scope, resource: { type: "Document", id: "d-1" } });
    expect(answer).toMatchObject({ decision: "allow", code: "permitted" });
    const second = new MandateClient(
      { issuer: server.issuer, clientId: w.second.id, clientSecret: w.second.secret },
      { dpop: true },
    );
    // The exchange accepts the token endpoint's nonce (the same derivation as oidc-provider's).
    const exchanged = await second.exchange({ subjectToken: await first.token(), scope: w.scope });
    expect(exchanged.token_type.toLowerCase()).toBe("dpop");
    const decided = await second.withToken(exchanged).actions.check({
      action: w.scope,
      resource: { type: "Document", id: "d-1" },
    });
    expect(decided).toMatchObject({ decision: "allow" });
  });
});
