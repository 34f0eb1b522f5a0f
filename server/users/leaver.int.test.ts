import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { callerFromCookies } from "@/server/auth/session-token";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { createPolicy } from "@/server/policies/policies";
import { api, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { delegatedTokens } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant, sessionCookie, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { deactivateUser } from "./deactivate-user";

// As an attacker holding a leaver's material would try it. Regression: a deactivated person's
// delegated tokens stayed active (introspection true, decisions allowed) until they expired, and a
// copied console cookie kept working after sign-out. After deactivation, every piece fails on its
// very next use: the access token, the refresh token, and the console session.

const REDIRECT = "https://agent.example/callback";
let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let scope: string;
let roleId: string;

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  scope = unique("crm.read");
  const s = await createScope(admin, { name: scope, description: "CRM", risk: "low", tenant: null });
  roleId = (await createRole(admin, { name: unique("crm"), tenant: null, scopes: [s.id] })).id;
  await createPolicy(admin, {
    name: unique("CRM"),
    tenant: null,
    text: `permit (principal is Agent, action == Action::"${scope}", resource);`,
  });
});
afterAll(async () => {
  await server?.close();
});

describe("a leaver's material after deactivation", () => {
  it("fails on its next use: access token, refresh token and console session alike", async () => {
    const leaver = await makeCaller({ tenants: { [tenant.id]: "member" } });
    const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
    await assignRole(admin, agent.id, roleId);
    const secret = (await createCredential(admin, agent.id, { type: "client_secret" })).secret as string;
    const tokens = await delegatedTokens(server, as, {
      agentId: agent.id,
      secret,
      redirectUri: REDIRECT,
      user: leaver,
      scope,
    });
    const cookie = await sessionCookie(leaver, server.config.authSecret);
    const client: oauth.Client = { client_id: agent.id };
    const auth = oauth.ClientSecretBasic(secret);
    const introspect = async (token: string) =>
      (
        await oauth.processIntrospectionResponse(
          as,
          client,
          await oauth.introspectionRequest(as, client, auth, token, insecure),
        )
      ).active;
    const decide = async () =>
      (
        await api(tokens.access_token, "POST", "/decisions", {
          action: scope,
          resource: { type: "Record", id: "acct-1" },
        })
      ).body;
    const session = () => callerFromCookies({ "next-auth.session-token": cookie }, server.config);

    expect(await introspect(tokens.access_token)).toBe(true);
    expect(await decide()).toMatchObject({ decision: "allow" });
    expect(await session()).toMatchObject({ id: leaver.id });

    await deactivateUser(admin, leaver.id, { reason: "Left the company" });

    expect(await introspect(tokens.access_token)).toBe(false);
    expect(await introspect(tokens.refresh_token as string)).toBe(false);
    expect(await decide()).toMatchObject({ decision: "deny" });
    const refreshed = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token as string, insecure);
    expect(refreshed.status).toBe(400);
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
    expect(await session()).toBeNull();
  });
});
