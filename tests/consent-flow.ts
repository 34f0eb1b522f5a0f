// The browser's part of authorization code + PKCE, driven by hand against the test server:
// authorize → consent page → the person's answer (with their console session) → back to the
// agent's redirect URI. Tests that need a person's grant, and its tokens, start here.
import * as oauth from "oauth4webapi";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { createPolicy } from "@/server/policies/policies";
import { makeAgent, makeCaller, makeTenant, sessionCookie } from "./factories";
import { CookieJar, type OAuthTestServer } from "./oauth-server";

export interface ConsentOptions {
  agentId: string;
  redirectUri: string;
  /** The person answering (their console session is forged with the server's AUTH_SECRET). */
  user: { id: string; email: string };
  /** Empty: the request names no scope (the authorization server's default applies). */
  scope: string;
  verifier: string;
  tick?: string[];
  answer?: "confirm" | "abort";
  origin?: string;
  state?: string;
  /** For an MCP client that identified itself: the tenant the person lets it into. */
  tenant?: string;
  resource?: string;
}

/** The URL the browser lands on at the agent, or the status with which the answer was refused. */
export async function authorize(
  server: OAuthTestServer,
  as: oauth.AuthorizationServer,
  opts: ConsentOptions,
): Promise<URL | { refused: number }> {
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: opts.agentId,
    response_type: "code",
    redirect_uri: opts.redirectUri,
    ...(opts.scope && { scope: opts.scope }),
    state: opts.state ?? "s-1",
    code_challenge: await oauth.calculatePKCECodeChallenge(opts.verifier),
    code_challenge_method: "S256",
    ...(opts.resource ? { resource: opts.resource } : {}),
  }).toString();

  const jar = new CookieJar();
  const start = await fetch(url, { redirect: "manual" });
  jar.take(start);
  const consent = start.headers.get("location") ?? "";
  if (!/^\/oauth\/interaction\/[\w-]+$/.test(consent)) throw new Error(`no consent page: ${start.status} ${consent}`);

  jar.set("next-auth.session-token", await sessionCookie(opts.user, server.config.authSecret));
  const body = new URLSearchParams();
  for (const s of opts.tick ?? opts.scope.split(" ").filter(Boolean)) body.append("scope", s);
  if (opts.tenant) body.set("tenant", opts.tenant);
  const answer = await fetch(new URL(`${consent}/${opts.answer ?? "confirm"}`, server.issuer), {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie: jar.header(),
      origin: opts.origin ?? server.issuer,
      "content-type": "application/x-www-form-urlencoded",
    },
    body,
  });
  if (answer.status !== 303) return { refused: answer.status };
  jar.take(answer);
  const resume = await fetch(new URL(answer.headers.get("location") ?? "", server.issuer), {
    redirect: "manual",
    headers: { cookie: jar.header() },
  });
  return new URL(resume.headers.get("location") ?? "");
}

/** Consent, then the code exchanged for tokens with the agent's client secret. */
export async function delegatedTokens(
  server: OAuthTestServer,
  as: oauth.AuthorizationServer,
  opts: Omit<ConsentOptions, "verifier"> & { secret: string },
): Promise<oauth.TokenEndpointResponse> {
  const verifier = oauth.generateRandomCodeVerifier();
  const callback = await authorize(server, as, { ...opts, verifier });
  if (!(callback instanceof URL)) throw new Error(`consent refused with ${callback.refused}`);
  const client: oauth.Client = { client_id: opts.agentId };
  const params = oauth.validateAuthResponse(as, client, callback, opts.state ?? "s-1");
  const insecure = { [oauth.allowInsecureRequests]: true };
  return oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(opts.secret),
      params,
      opts.redirectUri,
      verifier,
      insecure,
    ),
  );
}

/**
 * The revocation-under-load scenario's start: a member of a new tenant consents, through the real
 * flow, to an agent whose role carries `crm.read` and which a global policy permits to read
 * contacts. Returns the agent, its secret, the member's tokens and the grant.
 */
export async function crmDelegation(server: OAuthTestServer, as: oauth.AuthorizationServer, admin: UserCaller) {
  const redirectUri = "https://agent.example/callback";
  const tenant = await makeTenant();
  const member = await makeCaller({ tenants: { [tenant.id]: "member" } });
  const scope = await createScope(admin, { name: "crm.read", description: "Read CRM", risk: "low", tenant: null });
  const role = await createRole(admin, { name: "crm", tenant: null, scopes: [scope.id] });
  await createPolicy(admin, {
    name: "CRM",
    tenant: null,
    text: `permit (principal is Agent, action == Action::"${scope.name}", resource);`,
  });
  const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [redirectUri] });
  await assignRole(admin, agent.id, role.id);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  const tokens = await delegatedTokens(server, as, {
    agentId: agent.id,
    secret: secret as string,
    redirectUri,
    user: member,
    scope: scope.name,
  });
  const grant = await (await prisma()).grant.findFirstOrThrow({ where: { agentId: agent.id } });
  return { agent, secret: secret as string, scope, tokens, grant };
}
