import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { decideApproval } from "@/server/policies/approvals";
import { createPolicy } from "@/server/policies/policies";
import { startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { MandateClient, MandateResourceServer, type ToolResult } from "./src/index";

// The SDK's resource-server helper against the real Mandate: a small Node http server protected by
// it publishes its metadata (RFC 9728), accepts only live tokens for itself with the scopes a route
// needs, refuses the rest with the right challenge (401, or 403 insufficient_scope naming the
// scopes to step up to), and sees a revocation on the very next request (no cache unless asked).

let mandate: OAuthTestServer;
let admin: UserCaller;
let tools: Server;
let resource: string;
const FAST = { baseDelayMs: 1, maxDelayMs: 20 };
let guard: MandateResourceServer;
let read: string;
let write: string;
let agentCredentials: { issuer: string; clientId: string; clientSecret: string };
let agentId: string;

beforeAll(async () => {
  mandate = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
  const tenant = await makeTenant();
  const tag = `r${Math.random().toString(36).slice(2, 8)}`;
  const scope = (name: string) =>
    createScope(admin, { name: `${name}.${tag}`, description: name, risk: "low", tenant: tenant.id });
  const [readScope, writeScope] = [await scope("tools.read"), await scope("tools.write")];
  read = readScope.name;
  write = writeScope.name;
  const role = await createRole(admin, {
    name: `tools-${tag}`,
    tenant: tenant.id,
    scopes: [readScope.id, writeScope.id],
  });
  const agent = await makeAgent(admin, tenant.id, { status: "active" });
  agentId = agent.id;
  await assignRole(admin, agent.id, role.id);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  agentCredentials = { issuer: mandate.issuer, clientId: agent.id, clientSecret: secret as string };

  // The tools server's own credentials at Mandate: an automation client of the tenant.
  const { client, secret: introspectorSecret } = await createAutomationClient(admin, {
    client_id: unique("tools").toLowerCase(),
    name: "Tools server",
    role: "tenant_auditor",
    tenant: tenant.slug,
  });
  // Reads through this server only; writes up to 100, more with a person's approval.
  tools = createServer();
  await new Promise<void>((resolve) => tools.listen(0, "127.0.0.1", resolve));
  resource = `http://127.0.0.1:${(tools.address() as AddressInfo).port}/mcp`;
  for (const [name, text] of [
    [
      "Reads through the tools server",
      `permit (principal, action == Action::"${read}", resource)\nwhen { context.audience == "${resource}" };`,
    ],
    [
      "Small writes",
      `permit (principal, action == Action::"${write}", resource)\nwhen { context has amount && context.amount <= 100 };`,
    ],
    [
      "Larger writes",
      `@needs_approval\npermit (principal, action == Action::"${write}", resource)\nwhen { context has amount && context.amount > 100 };`,
    ],
  ]) {
    await createPolicy(admin, { name, tenant: tenant.slug, text });
  }
  guard = new MandateResourceServer({
    resource,
    introspector: new MandateClient(
      { issuer: mandate.issuer, clientId: client.clientId, clientSecret: introspectorSecret },
      { retry: FAST },
    ),
    scopesSupported: [read, write],
    resourceName: "Tools",
  });
  const needs: Record<string, string[]> = { "/mcp/read": [read], "/mcp/write": [write] };
  tools.on("request", (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    guard.middleware(needs[path] ?? [])(req, res, (error?: unknown) => {
      if (error) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, path }));
    });
  });
});
afterAll(async () => {
  await new Promise((resolve) => tools?.close(resolve));
  await mandate?.close();
});

/** The agent's token for the tools server, with these scopes. */
async function tokenFor(scopes: string[]) {
  return new MandateClient(agentCredentials, { scope: scopes, resource, retry: FAST }).getAccessToken();
}

const call = (path: string, token?: string) =>
  fetch(`${new URL(resource).origin}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

describe("the SDK's resource-server helper", () => {
  it("publishes its protected resource metadata at the well-known path", async () => {
    const response = await call("/.well-known/oauth-protected-resource/mcp");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource,
      authorization_servers: [mandate.issuer],
      bearer_methods_supported: ["header"],
      dpop_signing_alg_values_supported: expect.arrayContaining(["ES256", "EdDSA", "PS256"]),
      scopes_supported: [read, write],
      resource_name: "Tools",
    });
  });

  it("refuses a request without a token, or with one that is not live or not for it, with a 401 naming its metadata", async () => {
    const none = await call("/mcp/read");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe(
      `Bearer resource_metadata="${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp"`,
    );
    const junk = await call("/mcp/read", "not-a-token");
    expect(junk.status).toBe(401);
    expect(junk.headers.get("www-authenticate")).toContain('error="invalid_token"');
    // A live token of the same agent, but for Mandate's own API: another audience.
    const forApi = await new MandateClient(agentCredentials, { scope: [read], retry: FAST }).getAccessToken();
    const elsewhere = await call("/mcp/read", forApi);
    expect(elsewhere.status).toBe(401);
    expect(await elsewhere.json()).toMatchObject({ error: "invalid_token" });
  });

  it("serves a token with the route's scopes, and asks for a step-up with 403 insufficient_scope otherwise", async () => {
    const readOnly = await tokenFor([read]);
    expect((await call("/mcp/read", readOnly)).status).toBe(200);
    const stepUp = await call("/mcp/write", readOnly);
    expect(stepUp.status).toBe(403);
    expect(stepUp.headers.get("www-authenticate")).toContain(`error="insufficient_scope", scope="${read} ${write}"`);
    expect(await stepUp.json()).toMatchObject({ error: "insufficient_scope", scope: `${read} ${write}` });
    // Stepped up: a token with both scopes.
    expect((await call("/mcp/write", await tokenFor([read, write]))).status).toBe(200);
  });

  it("sees a revocation on the very next request (no cache by default)", async () => {
    const client = new MandateClient(agentCredentials, { scope: [read], resource, retry: FAST });
    const token = await client.getAccessToken();
    expect((await call("/mcp/read", token)).status).toBe(200);
    await client.revoke(token);
    expect((await call("/mcp/read", token)).status).toBe(401);
  });

  it("guards Fetch-style handlers too", async () => {
    const token = await tokenFor([read]);
    const ok = await guard.guard(new Request(`${resource}/x`, { headers: { authorization: `Bearer ${token}` } }), [
      read,
    ]);
    expect(ok).toMatchObject({ ok: true, scopes: [read] });
    const refused = await guard.guard(new Request(`${resource}/x`), [read]);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(401);
    const metadata = await guard.guard(
      new Request(`${new URL(resource).origin}/.well-known/oauth-protected-resource/mcp`),
    );
    expect(await (metadata as Response).json()).toMatchObject({ resource });
  });
});

describe("decisions per tool call", () => {
  const recorded = async (id: string) =>
    (await prisma()).auditEvent.findFirstOrThrow({ where: { action: "decision.evaluate", targetId: id } });

  it("decide() asks Mandate with the caller's own token, on record with this server as the audience", async () => {
    const token = await tokenFor([read]);
    const allowed = await guard.decide(token, { action: read, resource: { type: "Record", id: "r-1" } });
    expect(allowed).toMatchObject({ decision: "allow", policies: ["Reads through the tools server"] });
    const event = await recorded(allowed.decision_id);
    expect(event).toMatchObject({ actorId: agentId, outcome: "success" });
    expect(event.data).toMatchObject({ action: read, audience: resource });
    // The same agent's token for Mandate's API: the policy that names this server does not apply.
    const direct = await new MandateClient(agentCredentials, { scope: [read], retry: FAST }).getAccessToken();
    expect(await guard.decide(direct, { action: read, resource: { type: "Record", id: "r-1" } })).toMatchObject({
      decision: "deny",
      code: "no_permitting_policy",
    });
    // An action outside the token's scopes is denied whatever the policies say.
    expect(await guard.decide(token, { action: write, resource: { type: "Record", id: "r-1" } })).toMatchObject({
      decision: "deny",
      code: "action_not_in_scopes",
    });
  });

  it("tool() runs the handler only on allow, and answers a tool error otherwise", async () => {
    const runs: number[] = [];
    const handler = guard.tool(
      {
        action: write,
        resource: (args: { id: string; amount: number }) => ({ type: "Record", id: args.id }),
        context: (args) => ({ amount: args.amount }),
      },
      async (args: { id: string; amount: number }) => {
        runs.push(args.amount);
        return { content: [{ type: "text" as const, text: `wrote ${args.amount}` }] };
      },
    );
    const extra = { authInfo: { token: await tokenFor([read, write]) } };
    expect(await handler({ id: "w-1", amount: 40 }, extra)).toEqual({ content: [{ type: "text", text: "wrote 40" }] });

    // A person must approve the larger one: a tool error naming the approval request, then, once
    // approved, the same call runs once.
    const pending = (await handler({ id: "w-2", amount: 400 }, extra)) as ToolResult;
    const answer = (pending._meta as Record<string, { decision: string; approval_id: string }>)["mandate/decision"];
    expect(pending).toMatchObject({ isError: true });
    expect(answer.decision).toBe("needs_approval");
    expect(pending.content[0].text).toContain(answer.approval_id);
    await decideApproval(admin, answer.approval_id, true, { note: "ok" });
    expect(await handler({ id: "w-2", amount: 400 }, extra)).toEqual({
      content: [{ type: "text", text: "wrote 400" }],
    });

    // A token without the scope, and a call without a token: refused, the handler never runs.
    const denied = await handler({ id: "w-3", amount: 1 }, { authInfo: { token: await tokenFor([read]) } });
    expect(denied).toMatchObject({ isError: true, _meta: { "mandate/decision": { code: "action_not_in_scopes" } } });
    expect(denied.content[0].text).toMatch(/^Mandate denied /);
    expect(await handler({ id: "w-4", amount: 1 }, {})).toMatchObject({ isError: true });
    expect(runs).toEqual([40, 400]);
  });
});
