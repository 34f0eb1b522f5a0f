import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { transitionAgent } from "@/server/agents/transition-agent";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { api, clientToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { authorize, delegatedTokens } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { killAgent, restoreTenantConsent, revokeGrant, revokeUserGrants, withdrawTenantConsent } from "./revoke";

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let owner: UserCaller;
let roleId: string;
const REDIRECT = "https://agent.example/callback";

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  other = await makeTenant();
  owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
  const scope = await createScope(admin, { name: "mail.read", description: "Read mail", risk: "low", tenant: null });
  roleId = (await createRole(admin, { name: "mail", tenant: null, scopes: [scope.id] })).id;
  await createPolicy(admin, {
    name: "Mail",
    tenant: null,
    text: `permit (principal is Agent, action == Action::"mail.read", resource);`,
  });
});
afterAll(async () => {
  await server?.close();
});

async function delegatedAgent() {
  const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
  await assignRole(admin, agent.id, roleId);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  return { agent, secret: secret as string };
}

async function grantFor(a: { agent: { id: string }; secret: string }, user: UserCaller) {
  return delegatedTokens(server, as, {
    agentId: a.agent.id,
    secret: a.secret,
    redirectUri: REDIRECT,
    user,
    scope: "mail.read",
  });
}

async function active(a: { agent: { id: string }; secret: string }, token: string) {
  const client = { client_id: a.agent.id };
  const r = await oauth.processIntrospectionResponse(
    as,
    client,
    await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(a.secret), token, insecure),
  );
  return r.active;
}

const decide = async (token: string) =>
  (await api(token, "POST", "/decisions", { action: "mail.read", resource: { type: "Email", id: "m" } })).body;

describe("revoking a grant", () => {
  it("cascades to its access and refresh tokens at once; a member revokes their own, not another's", async () => {
    const a = await delegatedAgent();
    const jordan = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const sam = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const mine = await grantFor(a, jordan);
    const theirs = await grantFor(a, sam);
    expect(await active(a, mine.access_token)).toBe(true);
    expect((await decide(mine.access_token)).decision).toBe("allow");

    const db = await prisma();
    const grants = await db.grant.findMany({ where: { agentId: a.agent.id }, orderBy: { createdAt: "asc" } });
    const [jordans, sams] = [grants.find((g) => g.userId === jordan.id), grants.find((g) => g.userId === sam.id)];
    await expect(revokeGrant(jordan, sams?.id as string, { reason: "not mine" })).rejects.toMatchObject({
      status: 404,
    });
    expect(await revokeGrant(jordan, jordans?.id as string, { reason: "I stopped using it" })).toEqual({
      grants: 1,
      tokens: 2,
    });
    expect(await active(a, mine.access_token)).toBe(false);
    expect(await active(a, mine.refresh_token as string)).toBe(false);
    expect(await decide(mine.access_token)).toMatchObject({ decision: "deny", code: "token_revoked" });
    const refresh = await oauth.refreshTokenGrantRequest(
      as,
      { client_id: a.agent.id },
      oauth.ClientSecretBasic(a.secret),
      mine.refresh_token as string,
      insecure,
    );
    expect(refresh.status).toBe(400);
    // Sam's grant is untouched.
    expect(await active(a, theirs.access_token)).toBe(true);
    const audit = await db.auditEvent.findFirst({ where: { action: "grant.revoke", targetId: jordans?.id } });
    expect(audit).toMatchObject({ actorId: jordan.id, reason: "I stopped using it" });
  });

  it("offboarding revokes every grant of a person in the caller's tenants only", async () => {
    const a = await delegatedAgent();
    const leaver = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const t = await grantFor(a, leaver);
    const outsider = await makeCaller({ tenants: { [other.id]: "tenant_owner" } });
    await expect(revokeUserGrants(outsider, leaver.id, { reason: "wrong tenant" })).resolves.toEqual({
      grants: 0,
      tokens: 0,
    });
    expect(await active(a, t.access_token)).toBe(true);
    expect(await revokeUserGrants(owner, leaver.id, { reason: "left the company" })).toEqual({ grants: 1, tokens: 2 });
    expect(await active(a, t.access_token)).toBe(false);
  });
});

describe("tenant consent withdrawal", () => {
  it("revokes the agent's grants and tokens in the tenant and blocks new consent and tokens until restored", async () => {
    const a = await delegatedAgent();
    const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const delegated = await grantFor(a, member);
    const own = await clientToken(as, a.agent.id, a.secret, { scope: "mail.read" });

    const outsider = await makeCaller({ tenants: { [other.id]: "tenant_owner" } });
    await expect(withdrawTenantConsent(outsider, a.agent.id, { reason: "not theirs" })).rejects.toMatchObject({
      status: 404,
    });
    const result = await withdrawTenantConsent(owner, a.agent.id, { reason: "vendor contract ended" });
    expect(result).toEqual({ grants: 1, tokens: 3 });
    // The agent cannot even authenticate to introspect now: its tokens fail where they are used.
    expect(await decide(delegated.access_token)).toMatchObject({ decision: "deny", code: "token_revoked" });
    expect(await decide(own)).toMatchObject({ decision: "deny", code: "token_revoked" });

    const refused = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: a.agent.id },
      oauth.ClientSecretBasic(a.secret),
      new URLSearchParams(),
      insecure,
    );
    expect(refused.status).toBe(401);
    // No new consent either: the authorization endpoint refuses the agent before any consent page.
    await expect(
      authorize(server, as, {
        agentId: a.agent.id,
        redirectUri: REDIRECT,
        user: member,
        scope: "mail.read",
        verifier: oauth.generateRandomCodeVerifier(),
      }),
    ).rejects.toThrow(/no consent page: 400/);

    await restoreTenantConsent(owner, a.agent.id, { reason: "new contract signed" });
    const again = await clientToken(as, a.agent.id, a.secret, { scope: "mail.read" });
    expect((await decide(again)).decision).toBe("allow");
    // Restoring does not bring revoked tokens back.
    expect(await active(a, delegated.access_token)).toBe(false);
  });
});

describe("the kill switch", () => {
  it("revokes everything the agent holds and suspends it; only a security admin or its owner may", async () => {
    const a = await delegatedAgent();
    const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const delegated = await grantFor(a, member);
    const own = await clientToken(as, a.agent.id, a.secret, { scope: "mail.read" });
    await expect(
      killAgent(owner, a.agent.id, { reason: "tenant owner is not the agent's owner" }),
    ).rejects.toMatchObject({ status: 403 });
    const db = await prisma();
    const anomaly = await db.anomaly.create({
      data: {
        agentId: a.agent.id,
        tenantId: a.agent.tenantId,
        kind: "spike",
        severity: "HIGH",
        windowStart: new Date(Date.now() - 3_600_000),
        windowEnd: new Date(),
        observed: 90,
        expected: 3,
        score: 9,
        detail: "a burst",
      },
    });
    const result = await killAgent(admin, a.agent.id, { reason: "credential leaked" });
    expect(result).toMatchObject({ grants: 1, tokens: 3, credentials: 1, anomaliesContained: 1, suspended: true });
    expect(await db.agent.findUniqueOrThrow({ where: { id: a.agent.id } })).toMatchObject({ status: "SUSPENDED" });
    expect(await decide(own)).toMatchObject({ decision: "deny" });
    expect(await decide(delegated.access_token)).toMatchObject({ decision: "deny" });
    expect((await db.anomaly.findUniqueOrThrow({ where: { id: anomaly.id } })).status).toBe("CONTAINED");
    // Regression: the client secret stayed live, and worked again once the agent was resumed.
    await transitionAgent(admin, a.agent.id, { transition: "resume", reason: "investigated" });
    const again = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: a.agent.id },
      oauth.ClientSecretBasic(a.secret),
      new URLSearchParams(),
      insecure,
    );
    expect(again.status).toBe(401);
    // A new credential, issued by its owner, is what brings it back.
    const fresh = (await createCredential(admin, a.agent.id, { type: "client_secret" })).secret as string;
    expect(await clientToken(as, a.agent.id, fresh, { scope: "mail.read" })).toBeTruthy();
  });
});

describe("through the admin API", () => {
  it("kills an agent, withdraws and restores a tenant's consent, and revokes a grant; refuses bad input", async () => {
    const { automationToken } = await import("@/tests/admin-api");
    const adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
    const a = await delegatedAgent();
    const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
    await grantFor(a, member);
    const grant = await (await prisma()).grant.findFirstOrThrow({ where: { agentId: a.agent.id } });

    expect((await api(adminToken, "DELETE", `/grants/${grant.id}`, {})).status).toBe(400);
    expect((await api(adminToken, "DELETE", `/grants/${grant.id}`, { reason: "audit finding" })).body).toEqual({
      grants: 1,
      tokens: 2,
    });
    const consent = `/tenants/${tenant.slug}/agents/${a.agent.id}/consent`;
    expect(
      (await api(adminToken, "DELETE", `/tenants/${other.slug}/agents/${a.agent.id}/consent`, { reason: "x y z" }))
        .status,
    ).toBe(404);
    expect((await api(adminToken, "DELETE", consent, { reason: "paused" })).status).toBe(200);
    expect((await api(adminToken, "DELETE", consent, { reason: "paused" })).status).toBe(409);
    expect((await api(adminToken, "PUT", consent, { reason: "resumed" })).status).toBe(200);
    const killed = await api(adminToken, "POST", `/agents/${a.agent.id}/kill`, { reason: "incident 42" });
    expect(killed.body).toMatchObject({ suspended: true });
  });
});
