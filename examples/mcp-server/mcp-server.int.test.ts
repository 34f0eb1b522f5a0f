import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InvalidClientError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { transitionAgent } from "@/server/agents/transition-agent";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { api, automationToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { MandateClient } from "../../sdk/src/index";
import { type McpExample, startMcpExample } from "./server";

// The MCP example end to end, with the official MCP SDK's client: it starts from the MCP server
// alone, is sent to Mandate by the server's 401 (RFC 9728 metadata), gets an agent's token for the
// server (client_credentials, RFC 8707 resource) and calls tools; every tool call is a Mandate
// decision made with that token, on record with the server as its audience. The high-risk tool
// needs a scope the agent's first token lacks (403 insufficient_scope, naming it), and then a
// policy decides: small refunds allowed, larger ones after a person's approval, huge ones never.
// A revoked token is refused on the next call; a suspended agent gets no new one.

let mandate: OAuthTestServer;
let admin: UserCaller;
let adminToken: string;
let example: McpExample;
let agent: { id: string; tenantId: string };
let secret: string;
let refunder: string;

const READ = "crm.read_contact";
const REFUND = "payments.refund";

beforeAll(async () => {
  mandate = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
  adminToken = (await automationToken(await discover(mandate), admin, { role: "security_admin" })).token;
  const tenant = await makeTenant();
  const read = await createScope(admin, {
    name: READ,
    description: "Read a CRM contact",
    risk: "low",
    tenant: tenant.id,
  });
  const refund = await createScope(admin, {
    name: REFUND,
    description: "Refund a payment",
    risk: "high",
    tenant: tenant.id,
  });
  const reader = await createRole(admin, { name: "crm-reader", tenant: tenant.id, scopes: [read.id] });
  refunder = (await createRole(admin, { name: "refunder", tenant: tenant.id, scopes: [refund.id] })).id;
  agent = await makeAgent(admin, tenant.id, { status: "active" });
  await assignRole(admin, agent.id, reader.id);
  secret = (await createCredential(admin, agent.id, { type: "client_secret" })).secret as string;

  // The MCP server's own credentials at Mandate: an automation client of the tenant, to introspect.
  const server = await createAutomationClient(admin, {
    client_id: unique("mcp-tools").toLowerCase(),
    name: "MCP example tools",
    role: "tenant_auditor",
    tenant: tenant.slug,
  });
  example = await startMcpExample({
    mandateUrl: mandate.issuer,
    clientId: server.client.clientId,
    clientSecret: server.secret,
    port: 0,
  });

  const policies: [string, string][] = [
    [
      "Contacts through the example MCP server",
      `permit (principal is Agent, action == Action::"${READ}", resource is Contact)\nwhen { context.audience == "${example.resource}" };`,
    ],
    [
      "Small refunds",
      `permit (principal is Agent, action == Action::"${REFUND}", resource is Payment)\nwhen { context has amount && context.amount <= 100 };`,
    ],
    [
      "Larger refunds need a person",
      `@needs_approval\npermit (principal is Agent, action == Action::"${REFUND}", resource is Payment)\nwhen { context has amount && context.amount > 100 };`,
    ],
    [
      "No refunds over 1,000",
      `forbid (principal, action == Action::"${REFUND}", resource)\nwhen { context has amount && context.amount > 1000 };`,
    ],
  ];
  for (const [name, text] of policies) {
    const created = await api(adminToken, "POST", "/policies", { name, tenant: tenant.slug, text });
    expect(created.status, `${name}: ${JSON.stringify(created.body)}`).toBe(201);
  }
});
afterAll(async () => {
  await example?.close();
  await mandate?.close();
});

/** Every answer the MCP client had to its POSTs to the MCP server, in order (its GET for a stream aside). */
type Seen = { status: number; challenge: string | null };

/** The official client, authorized by the SDK's client_credentials provider, recording what it saw. */
async function connect(scope: string) {
  const seen: Seen[] = [];
  const provider = new ClientCredentialsProvider({
    clientId: agent.id,
    clientSecret: secret,
    scope,
    expectedIssuer: mandate.issuer,
  });
  const recording = async (input: string | URL | Request, init?: RequestInit) => {
    const response = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (url.startsWith(example.resource) && init?.method === "POST") {
      seen.push({ status: response.status, challenge: response.headers.get("www-authenticate") });
    }
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(example.resource), {
    authProvider: provider,
    fetch: recording,
  });
  const client = new Client({ name: "mandate-mcp-test", version: "1.0.0" });
  await client.connect(transport);
  return { client, provider, seen };
}

const text = (result: Awaited<ReturnType<Client["callTool"]>>) =>
  (result.content as { type: string; text: string }[]).map((c) => c.text).join("\n");

/** The decisions on record that this MCP server asked for, newest last. */
async function decisions() {
  const events = await (await prisma()).auditEvent.findMany({
    where: { action: "decision.evaluate", actorId: agent.id },
    orderBy: { seq: "asc" },
  });
  return events
    .map((e) => ({ outcome: e.outcome, id: e.targetId, data: e.data as Record<string, unknown> }))
    .filter((e) => e.data.audience === example.resource);
}

describe("the MCP example server, protected by Mandate", () => {
  it("sends a client without a token to Mandate: 401 naming its RFC 9728 metadata", async () => {
    const response = await fetch(example.resource, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    const metadataUrl = `${new URL(example.resource).origin}/.well-known/oauth-protected-resource/mcp`;
    expect(response.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${metadataUrl}"`);
    // A browser page of another site is turned away before anything else.
    const elsewhere = await fetch(example.resource, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(elsewhere.status).toBe(403);
    expect(await (await fetch(metadataUrl)).json()).toMatchObject({
      resource: example.resource,
      authorization_servers: [mandate.issuer],
      scopes_supported: [READ, REFUND],
    });
  });

  it("lists tools, calls the low-risk one, steps up for the high-risk one, and lets policies decide", async () => {
    const first = await connect(READ);
    // The client found Mandate through the server's 401, and came back with a token.
    expect(first.seen[0]).toMatchObject({ status: 401 });
    const { tools } = await first.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([READ, REFUND]);

    const contact = await first.client.callTool({ name: READ, arguments: { contact_id: "c-100" } });
    expect(contact.isError).toBeFalsy();
    expect(JSON.parse(text(contact))).toMatchObject({ id: "c-100", name: "Ada Byron" });
    const [read] = await decisions();
    expect(read).toMatchObject({
      outcome: "success",
      data: { decision: "allow", action: READ, resource: { type: "Contact", id: "c-100" } },
    });

    // The refund needs payments.refund, which the token lacks: 403 insufficient_scope naming it.
    // The SDK's client_credentials provider asks again with its configured scopes (it has no way
    // to widen them), gets the same answer, and gives up; nothing reached the tool.
    const refund = { name: REFUND, arguments: { payment_id: "pay-1", amount: 40, currency: "EUR" } };
    const refused = await first.client.callTool(refund).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StreamableHTTPError);
    expect((refused as StreamableHTTPError).code).toBe(403);
    const challenge = first.seen.find((s) => s.status === 403)?.challenge;
    expect(challenge).toContain(`error="insufficient_scope", scope="${READ} ${REFUND}"`);
    expect(challenge).toContain('resource_metadata="');
    expect(await decisions()).toHaveLength(1);
    await first.client.close();

    // An admin gives the agent the role; the client asks for the wider scope.
    await assignRole(admin, agent.id, refunder);
    const wider = await connect(`${READ} ${REFUND}`);
    const small = await wider.client.callTool(refund);
    expect(small.isError).toBeFalsy();
    expect(text(small)).toBe("Refunded 40 EUR of payment pay-1.");

    // A larger refund waits for a person: a tool error naming the approval request.
    const large = { name: REFUND, arguments: { payment_id: "pay-2", amount: 250, currency: "EUR" } };
    const pending = await wider.client.callTool(large);
    expect(pending.isError).toBe(true);
    const asked = (pending._meta as Record<string, { decision: string; approval_id: string }>)["mandate/decision"];
    expect(asked.decision).toBe("needs_approval");
    expect(text(pending)).toContain(asked.approval_id);
    const approved = await api(adminToken, "POST", `/approvals/${asked.approval_id}/approve`, { note: "checked" });
    expect(approved.status).toBe(200);
    // Approved: the same call runs, once.
    expect(text(await wider.client.callTool(large))).toBe("Refunded 250 EUR of payment pay-2.");
    expect((await wider.client.callTool(large)).isError).toBe(true);

    // A policy forbids the largest: a tool error with Mandate's reason.
    const huge = await wider.client.callTool({
      name: REFUND,
      arguments: { payment_id: "pay-3", amount: 5000, currency: "EUR" },
    });
    expect(huge.isError).toBe(true);
    expect(text(huge)).toMatch(/Mandate denied payments\.refund: Forbidden by policy "No refunds over 1,000"/);

    // Every tool call that reached a tool is a decision on record, made with the agent's token and
    // naming this server as its audience, in the order they were made.
    expect((await decisions()).map((d) => [d.data.action, d.data.decision])).toEqual([
      [READ, "allow"],
      [REFUND, "allow"],
      [REFUND, "needs_approval"],
      [REFUND, "allow"],
      [REFUND, "needs_approval"],
      [REFUND, "deny"],
    ]);
    await wider.client.close();
  });

  it("refuses a revoked token on the next call, and a suspended agent gets no new one", async () => {
    // A client holding one token (sent as a header, no provider to get another).
    const agentClient = new MandateClient(
      { issuer: mandate.issuer, clientId: agent.id, clientSecret: secret },
      { scope: [READ], resource: example.resource },
    );
    const token = await agentClient.getAccessToken();
    const transport = new StreamableHTTPClientTransport(new URL(example.resource), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    });
    const holder = new Client({ name: "mandate-mcp-test", version: "1.0.0" });
    await holder.connect(transport);
    const call = { name: READ, arguments: { contact_id: "c-200" } };
    expect(text(await holder.callTool(call))).toContain("Grace Hopper");
    await agentClient.revoke(token);
    const after = await holder.callTool(call).catch((error: unknown) => error);
    expect(after).toBeInstanceOf(StreamableHTTPError);
    expect((after as StreamableHTTPError).code).toBe(401);
    await holder.close();

    // With the SDK's provider, a revoked token is replaced by a new one from Mandate (401, then a
    // fresh client_credentials token) ...
    const withProvider = await connect(READ);
    const before = withProvider.provider.tokens()?.access_token as string;
    await agentClient.revoke(before);
    expect(text(await withProvider.client.callTool(call))).toContain("Grace Hopper");
    expect(withProvider.seen.map((s) => s.status).slice(-2)).toEqual([401, 200]);
    expect(withProvider.provider.tokens()?.access_token).not.toBe(before);
    // ... until the agent is suspended: its token stops working and Mandate issues no other.
    await transitionAgent(admin, agent.id, { transition: "suspend", reason: "incident" });
    await expect(withProvider.client.callTool(call)).rejects.toBeInstanceOf(InvalidClientError);
    expect(withProvider.seen.at(-1)).toMatchObject({
      status: 401,
      challenge: expect.stringContaining("invalid_token"),
    });
    await withProvider.client.close();
  });
});
