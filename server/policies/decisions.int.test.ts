import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCredential } from "@/server/agents/credentials";
import { transitionAgent } from "@/server/agents/transition-agent";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { hashToken } from "@/server/oauth/hash";
import { api, automationToken, clientToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeDelegation, makeTenant } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";

let server: OAuthTestServer;
let as: Awaited<ReturnType<typeof discover>>;
let admin: UserCaller;
let adminToken: string;
let tenantA: Awaited<ReturnType<typeof makeTenant>>;
let tenantB: Awaited<ReturnType<typeof makeTenant>>;
let roleId: string;
const ACTIONS = ["email.send", "documents.read", "payments.create", "contacts.read"];

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  adminToken = (await automationToken(as, admin, { role: "security_admin" })).token;
  tenantA = await makeTenant();
  tenantB = await makeTenant();
  const scopes = [];
  for (const name of ACTIONS) {
    scopes.push(await createScope(admin, { name, description: `The ${name} scope`, risk: "medium", tenant: null }));
  }
  roleId = (await createRole(admin, { name: "all-four", tenant: null, scopes: scopes.map((s) => s.id) })).id;

  const policies: [string, string | null, string][] = [
    [
      "Documents of the agent's own tenant",
      null,
      `permit (principal is Agent, action == Action::"documents.read", resource is Document)
when { resource has tenant && resource.tenant == principal.tenant };`,
    ],
    ["Agents may send email", null, `permit (principal is Agent, action == Action::"email.send", resource);`],
    [
      "No email to competitors",
      null,
      `forbid (principal, action == Action::"email.send", resource)
when { context has recipient_domain && context.recipient_domain == "competitor.example" };`,
    ],
    [
      "Payments over 1,000 need approval",
      null,
      `@needs_approval
permit (principal is Agent, action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount > 1000 };`,
    ],
    [
      "Small payments",
      null,
      `permit (principal is Agent, action == Action::"payments.create", resource is Payment)
when { context has amount && context.amount <= 1000 };`,
    ],
    [
      "Tenant B reads contacts",
      tenantB.slug,
      `permit (principal is Agent, action == Action::"contacts.read", resource);`,
    ],
  ];
  for (const [name, tenant, text] of policies) {
    const r = await api(adminToken, "POST", "/policies", { name, tenant, text });
    expect(r.status, `${name}: ${JSON.stringify(r.body)}`).toBe(201);
  }
});
afterAll(async () => {
  await server?.close();
});

/** An active agent of tenant A holding every scope, and a token for the scopes asked. */
async function agentToken(scope = ACTIONS.join(" "), tenantId = tenantA.id) {
  const agent = await makeAgent(admin, tenantId, { status: "active" });
  await assignRole(admin, agent.id, roleId);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  const token = await clientToken(as, agent.id, secret as string, { scope });
  return { agent, token };
}

const ask = (token: string | null, body: object) => api(token, "POST", "/decisions", body);
const doc = (tenant: string) => ({ type: "Document", id: "d-1", attributes: { tenant } });

describe("POST /api/v1/decisions", () => {
  it("allows what a policy permits, naming the policy, and records every answer", async () => {
    const { agent, token } = await agentToken();
    const r = await ask(token, { action: "documents.read", resource: doc(tenantA.slug) });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      decision: "allow",
      policies: ["Documents of the agent's own tenant"],
      decision_id: expect.any(String),
    });
    const other = await ask(token, { action: "documents.read", resource: doc(tenantB.slug) });
    expect(other.body).toMatchObject({ decision: "deny", reason: expect.stringMatching(/deny by default/) });
    const recorded = await (await prisma()).auditEvent.findMany({
      where: { action: "decision.evaluate", actorId: agent.id },
    });
    expect(recorded.map((e) => e.targetId).sort()).toEqual([r.body.decision_id, other.body.decision_id].sort());
  });

  it("evaluates a delegated token of the agent's own owner (one User entity, not two)", async () => {
    // Found by the grants benchmark: an owner who consents to their own agent made Cedar refuse
    // the request ("duplicate entity"), and every decision came back policy_error.
    const agent = await makeAgent(admin, tenantA.id, { status: "active" });
    const { token: value } = await makeDelegation({
      agent,
      userId: admin.id,
      scopes: ["email.send"],
      publicUrl: server.issuer,
    });
    const r = await ask(value, { action: "email.send", resource: { type: "Email", id: "e-1" } });
    expect(r.body).toMatchObject({ decision: "allow", code: "permitted" });
  });

  it("denies for every reason, saying which", async () => {
    const { agent, token } = await agentToken();
    const send = { action: "email.send", resource: { type: "Email", id: "m-1" } };
    expect((await ask(null, send)).status).toBe(401);
    expect((await ask("x".repeat(43), send)).body).toMatchObject({ decision: "deny", reason: /unknown/ });
    expect((await ask(token, send)).body.decision).toBe("allow");

    // A live access token that names no audience.
    const db = await prisma();
    const noAudience = randomBytes(32).toString("base64url");
    await db.token.create({
      data: {
        hash: hashToken(noAudience),
        kind: "ACCESS_TOKEN",
        clientId: agent.id,
        agentId: agent.id,
        tenantId: agent.tenantId,
        scopes: ["email.send"],
        expiresAt: new Date(Date.now() + 600_000),
        payload: {},
      },
    });
    expect((await ask(noAudience, send)).body).toMatchObject({ decision: "deny", code: "token_audience" });

    // Forbid wins over permit.
    const competitor = await ask(token, { ...send, context: { recipient_domain: "competitor.example" } });
    expect(competitor.body).toMatchObject({
      decision: "deny",
      code: "forbidden_by_policy",
      policies: ["No email to competitors"],
    });
    expect(competitor.body.reason).toMatch(/Forbidden by policy "No email to competitors"/);

    // An action outside the token's scopes (RBAC), though a policy would permit it.
    const narrow = await agentToken("documents.read");
    expect((await ask(narrow.token, send)).body).toMatchObject({
      decision: "deny",
      reason: /not among the token's scopes/,
    });

    // No policy permits contacts.read in tenant A: tenant B's policy does not apply here.
    expect((await ask(token, { action: "contacts.read", resource: { type: "Contact", id: "c" } })).body).toMatchObject({
      decision: "deny",
      reason: /deny by default/,
    });
    const inB = await agentToken(ACTIONS.join(" "), tenantB.id);
    expect(
      (await ask(inB.token, { action: "contacts.read", resource: { type: "Contact", id: "c" } })).body.decision,
    ).toBe("allow");

    await transitionAgent(admin, agent.id, { transition: "suspend", reason: "incident" });
    expect((await ask(token, send)).body).toMatchObject({
      decision: "deny",
      code: "agent_inactive",
      reason: /suspended/,
    });
    await transitionAgent(admin, agent.id, { transition: "resume", reason: "cleared" });
    expect((await ask(token, send)).body.decision).toBe("allow");

    const row = await db.token.findFirstOrThrow({ where: { agentId: agent.id, hash: hashToken(token) } });
    await db.token.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await ask(token, send)).body).toMatchObject({ decision: "deny", code: "token_expired", reason: /expired/ });
    await db.token.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() + 600_000) } });
    expect((await api(adminToken, "DELETE", `/tokens/${row.id}`, { reason: "test revocation" })).status).toBe(200);
    expect((await ask(token, send)).body).toMatchObject({ decision: "deny", code: "token_revoked", reason: /revoked/ });
  });

  it("decides for a token of another audience relayed by its resource server, which policies see as context.audience", async () => {
    const { agent } = await agentToken();
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    const tokenFor = (resource: string) =>
      clientToken(as, agent.id, secret as string, { scope: "email.send", resource });
    const send = { action: "email.send", resource: { type: "Email", id: "m-relayed" } };
    const blocked = "https://blocked.example/mcp";
    const policy = await api(adminToken, "POST", "/policies", {
      name: "Not through the blocked server",
      tenant: tenantA.slug,
      text: `forbid (principal, action == Action::"email.send", resource)\nwhen { context.audience == "${blocked}" };`,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    // (It names an audience no other test uses, so it stays.)
    // An MCP server's token (RFC 8707 audience = the server), sent on by the server before a tool call.
    const relayed = await ask(await tokenFor("https://crm.example/mcp"), send);
    expect(relayed.body).toMatchObject({ decision: "allow", code: "permitted" });
    const [event] = await (await prisma()).auditEvent.findMany({
      where: { action: "decision.evaluate", targetId: relayed.body.decision_id as string },
    });
    expect(event.data).toMatchObject({ decision: "allow", audience: "https://crm.example/mcp" });
    // Mandate's own API as the audience (the default) is recorded as such.
    const own = await ask(await tokenFor(`${server.issuer}/api/v1`), send);
    expect(own.body.decision).toBe("allow");
    const [ownEvent] = await (await prisma()).auditEvent.findMany({
      where: { action: "decision.evaluate", targetId: own.body.decision_id as string },
    });
    expect(ownEvent.data).toMatchObject({ audience: `${server.issuer}/api/v1` });
    // The policy naming the blocked server's audience forbids through it alone.
    expect((await ask(await tokenFor(blocked), send)).body).toMatchObject({
      decision: "deny",
      code: "forbidden_by_policy",
      policies: ["Not through the blocked server"],
    });
    // The simulator takes the audience too; without one it is Mandate's API.
    const simulate = { agent: agent.id, ...send };
    expect(
      (await api(adminToken, "POST", "/policies/simulate", { ...simulate, audience: blocked })).body,
    ).toMatchObject({ decision: "deny", policies: ["Not through the blocked server"] });
    expect((await api(adminToken, "POST", "/policies/simulate", simulate)).body.decision).toBe("allow");
    const bad = await api(adminToken, "POST", "/policies/simulate", { ...simulate, audience: "not a url" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details as object)).toEqual(["audience"]);
  });

  it("refuses a malformed request with 400 naming the field, recording no decision", async () => {
    const { agent, token } = await agentToken();
    const r = await ask(token, {
      action: "Email Send!",
      resource: { type: "Spaceship", id: "" },
      context: { hour: 3 },
    });
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.details as object)).toEqual(
      expect.arrayContaining(["action", "resource.type", "resource.id", "context"]),
    );
    expect(await (await prisma()).auditEvent.count({ where: { action: "decision.evaluate", actorId: agent.id } })).toBe(
      0,
    );
  });

  it("needs approval → approved → allowed once → needs approval again", async () => {
    const { token } = await agentToken();
    const pay = { action: "payments.create", resource: { type: "Payment", id: "inv-7" }, context: { amount: 5000 } };
    expect((await ask(token, { ...pay, context: { amount: 200 } })).body.decision).toBe("allow");

    const first = await ask(token, pay);
    expect(first.body).toMatchObject({ decision: "needs_approval", policies: ["Payments over 1,000 need approval"] });
    const approvalId = first.body.approval_id as string;
    // Asking again while it waits points at the same request.
    expect((await ask(token, pay)).body.approval_id).toBe(approvalId);
    // The agent polls with its own token.
    expect((await api(token, "GET", `/approvals/${approvalId}`)).body).toMatchObject({ status: "pending" });

    const approved = await api(adminToken, "POST", `/approvals/${approvalId}/approve`, { note: "invoice checked" });
    expect(approved.status).toBe(200);
    expect((await api(token, "GET", `/approvals/${approvalId}`)).body).toMatchObject({ status: "approved" });
    // A different amount is a different request: not covered.
    expect((await ask(token, { ...pay, context: { amount: 5001 } })).body.decision).toBe("needs_approval");

    const allowed = await ask(token, pay);
    expect(allowed.body).toMatchObject({ decision: "allow", code: "approved_once", approval_id: approvalId });
    const again = await ask(token, pay);
    expect(again.body.decision).toBe("needs_approval");
    expect(again.body.approval_id).not.toBe(approvalId);
    expect((await api(adminToken, "POST", `/approvals/${approvalId}/approve`, {})).status).toBe(409);
  });

  // Regression: a refresh token (or a code) of the agent was accepted as a bearer when polling.
  it("takes only access tokens as bearers: the agent's refresh token and code are refused", async () => {
    const { agent, token } = await agentToken();
    const pay = { action: "payments.create", resource: { type: "Payment", id: "inv-rt" }, context: { amount: 9000 } };
    const approvalId = (await ask(token, pay)).body.approval_id as string;
    expect((await api(token, "GET", `/approvals/${approvalId}`)).status).toBe(200);
    const db = await prisma();
    for (const kind of ["REFRESH_TOKEN", "AUTHORIZATION_CODE"] as const) {
      const value = randomBytes(32).toString("base64url");
      await db.token.create({
        data: {
          hash: hashToken(value),
          kind,
          clientId: agent.id,
          agentId: agent.id,
          tenantId: agent.tenantId,
          scopes: ACTIONS,
          expiresAt: new Date(Date.now() + 600_000),
          payload: {},
        },
      });
      const polled = await api(value, "GET", `/approvals/${approvalId}`);
      expect(polled.status, kind).toBe(401);
      expect((await ask(value, pay)).body.decision, kind).toBe("deny");
    }
  });
});

describe("an approval is used once", () => {
  it("of several decisions racing after an approval, exactly one is allowed", async () => {
    const { token } = await agentToken();
    const pay = { action: "payments.create", resource: { type: "Payment", id: "race-1" }, context: { amount: 9000 } };
    const first = await ask(token, pay);
    expect(first.body.decision).toBe("needs_approval");
    await api(adminToken, "POST", `/approvals/${first.body.approval_id}/approve`, {});
    const race = await Promise.all([1, 2, 3, 4].map(() => ask(token, pay)));
    expect(race.map((r) => r.body.decision).sort()).toEqual([
      "allow",
      "needs_approval",
      "needs_approval",
      "needs_approval",
    ]);
  });
});

describe("policies", () => {
  it("refuses invalid Cedar with 400 naming the line, and keeps versions", async () => {
    const bad = await api(adminToken, "POST", "/policies", {
      name: "Broken",
      tenant: null,
      text: `permit (principal is Agent, action == Action::"email.send", resource)\nwhen { context.hours < 18 };`,
    });
    expect(bad.status).toBe(400);
    expect((bad.body.details as { text: string[] }).text[0]).toMatch(/^Line 2, column \d+: .*hours/);
    expect(await (await prisma()).policy.count({ where: { name: "Broken" } })).toBe(0);

    const created = await api(adminToken, "POST", "/policies", {
      name: "Versioned",
      tenant: tenantA.slug,
      text: `permit (principal, action == Action::"contacts.read", resource);`,
    });
    const id = created.body.id as string;
    const v2 = await api(adminToken, "PATCH", `/policies/${id}`, { enabled: false, note: "pause" });
    expect(v2.body).toMatchObject({ version: 2, enabled: false });
    const back = await api(adminToken, "POST", `/policies/${id}/rollback`, { version: 1 });
    expect(back.body).toMatchObject({ version: 3, enabled: true });
    const full = await api(adminToken, "GET", `/policies/${id}`);
    expect((full.body.versions as { version: number }[]).map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it("lets a tenant's policy name only scopes usable in that tenant; writes no empty versions", async () => {
    await createScope(admin, { name: "globex.vault.open", description: "B only", risk: "high", tenant: tenantB.slug });
    const text = `permit (principal, action == Action::"globex.vault.open", resource);`;
    const inA = await api(adminToken, "POST", "/policies", { name: "Vault in A", tenant: tenantA.slug, text });
    expect(inA.status).toBe(400);
    expect(JSON.stringify(inA.body.details)).not.toContain("for policy");
    const inB = await api(adminToken, "POST", "/policies", { name: "Vault in B", tenant: tenantB.slug, text });
    expect(inB.status).toBe(201);
    const same = await api(adminToken, "PATCH", `/policies/${inB.body.id}`, { enabled: true });
    expect(same.body.version).toBe(1);
    const owner = await automationToken(as, admin, { role: "tenant_owner", tenant: tenantA.slug });
    expect((await api(owner.token, "POST", `/policies/${inB.body.id}/rollback`, { version: 99 })).status).toBe(404);
  });

  it("simulates a draft before it is saved, and shows a draft's errors instead", async () => {
    const { agent } = await agentToken();
    const send = { agent: agent.id, action: "email.send", resource: { type: "Email", id: "m-1" } };
    expect((await api(adminToken, "POST", "/policies/simulate", send)).body).toMatchObject({
      decision: "allow",
      policies: ["Agents may send email"],
    });
    const draft = {
      ...send,
      draft: { name: "Quiet weekends", text: `forbid (principal, action == Action::"email.send", resource);` },
    };
    expect((await api(adminToken, "POST", "/policies/simulate", draft)).body).toMatchObject({
      decision: "deny",
      policies: ["Quiet weekends (draft)"],
    });
    const broken = { ...send, draft: { text: `forbid (principal, action, resource) when { context.nope };` } };
    const r = await api(adminToken, "POST", "/policies/simulate", broken);
    expect((r.body.problems as unknown[]).length).toBeGreaterThan(0);
    expect(await (await prisma()).policy.count({ where: { name: "Quiet weekends" } })).toBe(0);
  });

  it("keeps tenant owners to their own tenant's policies, and members out", async () => {
    const owner = await automationToken(as, admin, { role: "tenant_owner", tenant: tenantA.slug });
    const member = await automationToken(as, admin, { role: "member", tenant: tenantA.slug });
    const text = `permit (principal, action == Action::"contacts.read", resource);`;
    expect((await api(owner.token, "POST", "/policies", { name: "Owner's", tenant: null, text })).status).toBe(403);
    expect((await api(owner.token, "POST", "/policies", { name: "Owner's", tenant: tenantA.slug, text })).status).toBe(
      403,
    );
    expect((await api(member.token, "GET", "/policies")).status).toBe(403);
    const listed = await api(owner.token, "GET", "/policies");
    expect(listed.status).toBe(200);
    expect((listed.body.data ?? []).some((p) => p.tenant_id === tenantB.id)).toBe(false);
  });
});
