import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { decideApproval } from "@/server/policies/approvals";
import { api, automationToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import {
  type DecisionRequest,
  type FetchLike,
  MandateApiError,
  MandateApprovalPendingError,
  MandateApprovalTimeoutError,
  MandateClient,
  MandateDeniedError,
} from "./src/index";

// The SDK's decision calls against the real route handlers: tests/oauth-server.ts serves OAuth
// only, so the client's fetch sends `<issuer>/api/v1/...` to app/api/v1's handlers (through
// api() of tests/admin-api.ts) and everything else over the network.

let server: OAuthTestServer;
let admin: UserCaller;
let roleId: string;
const ACTIONS = ["email.send", "payments.create"];
const FAST = { baseDelayMs: 1, maxDelayMs: 20 };

beforeAll(async () => {
  server = await startApiTestServer();
  admin = await makeCaller({ global: "security_admin" });
  const adminToken = (await automationToken(await discover(server), admin, { role: "security_admin" })).token;
  const scopes = [];
  for (const name of ACTIONS) {
    scopes.push(await createScope(admin, { name, description: `The ${name} scope`, risk: "medium", tenant: null }));
  }
  roleId = (await createRole(admin, { name: "sdk-actions", tenant: null, scopes: scopes.map((s) => s.id) })).id;
  const policies: [string, string][] = [
    ["Agents may send email", `permit (principal is Agent, action == Action::"email.send", resource);`],
    [
      "No email to competitors",
      `forbid (principal, action == Action::"email.send", resource)
when { context has recipient_domain && context.recipient_domain == "competitor.example" };`,
    ],
    [
      "Payments over 1,000 need approval",
      `@needs_approval
permit (principal is Agent, action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount > 1000 };`,
    ],
  ];
  for (const [name, text] of policies) {
    const r = await api(adminToken, "POST", "/policies", { name, tenant: null, text });
    expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(201);
  }
});
afterAll(async () => {
  await server?.close();
});

interface Seen {
  method: string;
  path: string;
  status: number;
}

/**
 * A fetch for the client: Mandate's API through its route handlers, the rest over the network.
 * `before` may answer instead of the handlers (n: how many times that method + path was called);
 * `after` runs once a handler has answered, before the client sees the answer.
 */
function routed(
  hooks: {
    before?: (method: string, path: string, n: number) => Response | undefined;
    after?: (method: string, path: string, n: number, body: Record<string, unknown>) => Promise<void> | void;
  } = {},
) {
  const seen: Seen[] = [];
  const fetchImpl: FetchLike = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.origin !== server.issuer || !url.pathname.startsWith("/api/v1/")) return fetch(input, init);
    const method = init.method ?? "GET";
    const path = url.pathname.slice("/api/v1".length);
    const n = seen.filter((s) => s.method === method && s.path === path).length + 1;
    const stand = hooks.before?.(method, path, n);
    if (stand) {
      seen.push({ method, path, status: stand.status });
      return stand;
    }
    const token = /^Bearer (\S+)$/.exec(new Headers(init.headers).get("authorization") ?? "")?.[1] ?? null;
    const raw = typeof init.body === "string" ? init.body : undefined;
    const r = await api(token, method, `${path}${url.search}`, undefined, raw === undefined ? {} : { raw });
    seen.push({ method, path, status: r.status });
    await hooks.after?.(method, path, n, r.body);
    return Response.json(r.body, { status: r.status, headers: r.headers });
  };
  const count = (method: string, prefix: string) =>
    seen.filter((s) => s.method === method && s.path.startsWith(prefix)).length;
  return { fetch: fetchImpl, seen, count };
}

/** An active agent holding both scopes, and a client for it asking for them. */
async function agentClient(fetchImpl: FetchLike = routed().fetch) {
  const tenant = await makeTenant();
  const agent = await makeAgent(admin, tenant.id, { status: "active" });
  await assignRole(admin, agent.id, roleId);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  const client = new MandateClient(
    { issuer: server.issuer, clientId: agent.id, clientSecret: secret as string },
    { scope: ACTIONS, fetch: fetchImpl, retry: FAST },
  );
  return { agent, client };
}

const email = (recipient_domain = "customer.example"): DecisionRequest => ({
  action: "email.send",
  resource: { type: "Email", id: unique("mail") },
  context: { recipient_domain },
});
const payment = (amount = 4800): DecisionRequest => ({
  action: "payments.create",
  resource: { type: "Payment", id: unique("INV"), attributes: { supplier: "Northwind Traders" } },
  context: { amount, currency: "EUR" },
});

describe("actions.check", () => {
  it("answers allow and deny as Mandate does, with the deciding policies", async () => {
    const { client } = await agentClient();
    expect(await client.actions.check(email())).toMatchObject({
      decision: "allow",
      policies: ["Agents may send email"],
      decision_id: expect.any(String),
    });
    const denied = await client.actions.check(email("competitor.example"));
    expect(denied).toMatchObject({ decision: "deny", policies: ["No email to competitors"] });
    expect(denied.reason).toMatch(/Forbidden by policy "No email to competitors"/);
    const approval = await client.actions.check(payment());
    expect(approval).toMatchObject({ decision: "needs_approval", approval_id: expect.any(String) });
  });

  it("uses the cached token: one token request for several checks", async () => {
    const net = routed();
    const tokenCalls: string[] = [];
    const { client } = await agentClient(async (input, init) => {
      if (String(input).endsWith("/oauth/token")) tokenCalls.push("token");
      return net.fetch(input, init);
    });
    await client.actions.check(email());
    await client.actions.check(email());
    expect(tokenCalls).toHaveLength(1);
    expect(net.count("POST", "/decisions")).toBe(2);
  });

  it("a 401 gets a fresh token and one more try; a 503 is retried", async () => {
    const net = routed({
      before: (_method, path, n) => {
        if (path !== "/decisions") return undefined;
        if (n === 1) return Response.json({ error: "invalid_token", message: "stale" }, { status: 401 });
        if (n === 2) return new Response("busy", { status: 503 });
        return undefined;
      },
    });
    const { agent, client } = await agentClient(net.fetch);
    const first = await client.getAccessToken();
    expect((await client.actions.check(email())).decision).toBe("allow");
    expect(net.count("POST", "/decisions")).toBe(3);
    expect(await client.getAccessToken()).not.toBe(first);
    expect(await (await prisma()).token.count({ where: { agentId: agent.id, kind: "CLIENT_CREDENTIALS" } })).toBe(2);
  });

  it("bad input is a MandateApiError naming the fields; it is not retried", async () => {
    const net = routed();
    const { client } = await agentClient(net.fetch);
    const bad = { action: "Send Email!", resource: { type: "Spaceship", id: "" } } as unknown as DecisionRequest;
    const error = await client.actions.check(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MandateApiError);
    expect(error).toMatchObject({ status: 400, error: "invalid_request" });
    expect(Object.keys((error as MandateApiError).details ?? {})).toEqual(
      expect.arrayContaining(["action", "resource.type", "resource.id"]),
    );
    expect(net.count("POST", "/decisions")).toBe(1);
  });
});

describe("actions.guard", () => {
  it("returns the allow answer", async () => {
    const { client } = await agentClient();
    expect(await client.actions.guard(email())).toMatchObject({ decision: "allow" });
  });

  it("throws MandateDeniedError on deny, with the reason, policies and decision id", async () => {
    const { client } = await agentClient();
    const error = await client.actions.guard(email("competitor.example")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MandateDeniedError);
    expect(error).toMatchObject({
      policies: ["No email to competitors"],
      reason: expect.stringMatching(/Forbidden by policy/),
      decision_id: expect.any(String),
    });
  });

  it("waits for a person's approval, then asks again and returns the allow (once)", async () => {
    let approvalId = "";
    const net = routed({
      after: async (method, path, n, body) => {
        if (method === "POST" && path === "/decisions" && n === 1) approvalId = body.approval_id as string;
        // Approved by a security admin after the agent's first poll (which said pending).
        if (method === "GET" && path.startsWith("/approvals/") && n === 1) {
          expect(body.status).toBe("pending");
          await decideApproval(admin, approvalId, true, { note: "invoice checked" });
        }
      },
    });
    const { client } = await agentClient(net.fetch);
    const request = payment();
    const allowed = await client.actions.guard(request, { pollIntervalMs: 10 });
    expect(allowed).toMatchObject({ decision: "allow", approval_id: approvalId });
    expect(net.count("GET", "/approvals/")).toBe(2);
    expect(net.count("POST", "/decisions")).toBe(2);
    expect((await client.actions.approval(approvalId)).status).toBe("used");
    // Allowed once: the same request needs a new approval.
    expect(await client.actions.check(request)).toMatchObject({ decision: "needs_approval" });
  });

  it("throws MandateDeniedError when the person denies, with their note", async () => {
    const net = routed({
      after: async (method, path, n, body) => {
        if (method === "POST" && path === "/decisions" && n === 1) {
          await decideApproval(admin, body.approval_id as string, false, { note: "not this supplier" });
        }
      },
    });
    const { client } = await agentClient(net.fetch);
    const error = await client.actions.guard(payment(), { pollIntervalMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MandateDeniedError);
    expect(error).toMatchObject({
      approval_status: "denied",
      decision_note: "not this supplier",
      decided_by: admin.email,
      policies: ["Payments over 1,000 need approval"],
    });
    expect((error as Error).message).toMatch(/denied approval request .*: not this supplier/);
  });

  it("throws MandateDeniedError when the request expires unanswered", async () => {
    const net = routed({
      after: async (method, path, n, body) => {
        if (method === "POST" && path === "/decisions" && n === 1) {
          await (await prisma()).approvalRequest.update({
            where: { id: body.approval_id as string },
            data: { expiresAt: new Date(Date.now() - 1000) },
          });
        }
      },
    });
    const { client } = await agentClient(net.fetch);
    const error = await client.actions.guard(payment(), { pollIntervalMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MandateDeniedError);
    expect(error).toMatchObject({ approval_status: "expired" });
  });

  it("times out with MandateApprovalTimeoutError, leaving the request open", async () => {
    const net = routed();
    const { client } = await agentClient(net.fetch);
    const started = Date.now();
    const error = await client.actions
      .guard(payment(), { timeoutMs: 300, pollIntervalMs: 10 })
      .catch((e: unknown) => e);
    // A lower bound only: a loaded machine makes it later, never earlier.
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(error).toBeInstanceOf(MandateApprovalTimeoutError);
    const { approval_id } = error as MandateApprovalTimeoutError;
    expect(net.count("GET", `/approvals/${approval_id}`)).toBeGreaterThanOrEqual(1);
    expect((await client.actions.approval(approval_id)).status).toBe("pending");
  });

  it("with waitForApproval false, throws MandateApprovalPendingError at once", async () => {
    const net = routed();
    const { client } = await agentClient(net.fetch);
    const error = await client.actions.guard(payment(), { waitForApproval: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MandateApprovalPendingError);
    expect(error).not.toBeInstanceOf(MandateApprovalTimeoutError);
    expect((error as MandateApprovalPendingError).approval_id).toEqual(expect.any(String));
    expect(net.count("GET", "/approvals/")).toBe(0);
  });

  it("stops waiting when its signal aborts", async () => {
    const { client } = await agentClient();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    await expect(
      client.actions.guard(payment(), { pollIntervalMs: 10_000, signal: controller.signal }),
    ).rejects.toThrow("shutting down");
  });
});
