import * as oauth from "oauth4webapi";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { makeAgent, makeTenant } from "./factories";

// RFC 8693 token exchange as the integration tests drive it, through a standard OAuth client
// (oauth4webapi's generic token endpoint request): a tenant of three agents with narrowing roles,
// their client-credentials tokens, exchanges and introspection.

export const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS = "urn:ietf:params:oauth:token-type:access_token";
const insecure = { [oauth.allowInsecureRequests]: true };

export interface TestAgent {
  id: string;
  tenantId: string;
  secret: string;
}

/** What the OAuth calls need of an agent: its id and secret. */
type Agentish = Pick<TestAgent, "id" | "secret">;

/**
 * The helpers, over the discovered server and the admin caller a test file sets up in beforeAll
 * (read when called, hence the getter).
 */
export function exchangeKit(context: () => { as: oauth.AuthorizationServer; admin: UserCaller }) {
  /** A tenant with a planner (three scopes), a researcher (two) and a runner (one), each active. */
  async function world(opts: { maxDepth?: number; plannerDelegatesTo?: "researcher" | "nobody" } = {}) {
    const { admin } = context();
    const tenant = await makeTenant();
    const db = await prisma();
    if (opts.maxDepth)
      await db.tenant.update({ where: { id: tenant.id }, data: { maxDelegationDepth: opts.maxDepth } });
    const tag = `t${Math.random().toString(36).slice(2, 8)}`;
    const scope = async (name: string) =>
      createScope(admin, { name: `${name}.${tag}`, description: name, risk: "low", tenant: tenant.id });
    const [read, write, pay] = [await scope("crm.read"), await scope("crm.write"), await scope("payments.create")];
    const agent = async (name: string, scopeIds: string[]): Promise<TestAgent> => {
      const role = await createRole(admin, { name: `${name}-${tag}`, tenant: tenant.id, scopes: scopeIds });
      const a = await makeAgent(admin, tenant.id, { status: "active", name: `${name}-${tag}` });
      await assignRole(admin, a.id, role.id);
      const { secret } = await createCredential(admin, a.id, { type: "client_secret" });
      return { id: a.id, tenantId: tenant.id, secret: secret as string };
    };
    const planner = await agent("planner", [read.id, write.id, pay.id]);
    const researcher = await agent("researcher", [read.id, write.id]);
    const runner = await agent("runner", [read.id]);
    const outsider = await agent("outsider", [read.id]);
    if (opts.plannerDelegatesTo) {
      await db.agent.update({
        where: { id: planner.id },
        data: {
          delegationRestricted: true,
          mayDelegateTo: opts.plannerDelegatesTo === "researcher" ? [researcher.id] : [],
        },
      });
    }
    return {
      tenant,
      scopes: { read: read.name, write: write.name, pay: pay.name },
      planner,
      researcher,
      runner,
      outsider,
    };
  }

  async function clientCredentials(agent: Agentish, scope?: string) {
    const { as } = context();
    const client = { client_id: agent.id };
    const params = new URLSearchParams(scope ? { scope } : {});
    return oauth.processClientCredentialsResponse(
      as,
      client,
      await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(agent.secret), params, insecure),
    );
  }

  /** A token exchange by `actor`; the token response, or the OAuth error it was refused with. */
  async function exchange(
    actor: Agentish,
    subjectToken: string,
    extra: Record<string, string> = {},
  ): Promise<oauth.TokenEndpointResponse | { error: string; description: string }> {
    const { as } = context();
    const client = { client_id: actor.id };
    const response = await oauth.genericTokenEndpointRequest(
      as,
      client,
      oauth.ClientSecretBasic(actor.secret),
      EXCHANGE,
      new URLSearchParams({ subject_token: subjectToken, subject_token_type: ACCESS, ...extra }),
      insecure,
    );
    try {
      return await oauth.processGenericTokenEndpointResponse(as, client, response);
    } catch (e) {
      if (e instanceof oauth.ResponseBodyError) return { error: e.error, description: e.error_description ?? "" };
      throw e;
    }
  }

  async function exchanged(actor: Agentish, subjectToken: string, extra: Record<string, string> = {}) {
    const result = await exchange(actor, subjectToken, extra);
    if ("error" in result) throw new Error(`exchange refused: ${result.error} ${result.description}`);
    return result;
  }

  async function introspect(agent: Agentish, token: string) {
    const { as } = context();
    const client = { client_id: agent.id };
    return oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(agent.secret), token, insecure),
    );
  }
  return { world, clientCredentials, exchange, exchanged, introspect };
}
