import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyExport } from "@/lib/audit/verify-export";
import { AUDIT_ACTIONS } from "@/lib/schemas/audit";
import { createCredential } from "@/server/agents/credentials";
import { updateAgent } from "@/server/agents/update-agent";
import { operations } from "@/server/api/operations";
import type { UserCaller } from "@/server/auth/caller";
import { InvalidCredentialsError, signInWithPassword } from "@/server/auth/sign-in";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { withdrawTenantConsent } from "@/server/grants/revoke";
import { decideApproval } from "@/server/policies/approvals";
import { createPolicy } from "@/server/policies/policies";
import { api, automationToken, clientToken, discover, insecure, startApiTestServer } from "@/tests/admin-api";
import { delegatedTokens } from "@/tests/consent-flow";
import { makeAgent, makeCaller, makeTenant, makeUser, TEST_PASSWORD } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { listAuditEvents } from "./events";
import { exportAuditEvents } from "./export";
import { verifyChain } from "./verify";

// The audit store from the auditor's side: every kind of event recorded by doing the real thing,
// the log's filters and pages, exports that verify offline, and an auditor who can read
// everything in scope and change nothing.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let owner: UserCaller;
let member: UserCaller;
let roleId: string;
const REDIRECT = "https://agent.example/callback";

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  other = await makeTenant();
  owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
  member = await makeCaller({ tenants: { [tenant.id]: "member" } });
  const send = await createScope(admin, { name: "pay.send", description: "Pay", risk: "high", tenant: null });
  roleId = (await createRole(admin, { name: "payer", tenant: null, scopes: [send.id] })).id;
  await createPolicy(admin, {
    name: "Payments need approval",
    tenant: null,
    text: `@needs_approval\npermit (principal is Agent, action == Action::"pay.send", resource is Payment);`,
  });
});
afterAll(async () => {
  await server?.close();
});

const events = async (where: object) => (await prisma()).auditEvent.findMany({ where, orderBy: { seq: "asc" } });

describe("every kind of event is recorded by doing the real thing", () => {
  it("sign-ins, admin changes with before and after, tokens, consent, decisions, approvals, exports", async () => {
    // Console sign-in, success and failure, with the request's address and id.
    const person = await makeUser();
    await signInWithPassword(
      { email: person.email, password: TEST_PASSWORD },
      { ip: "198.51.100.9", requestId: "r-ok" },
    );
    await expect(
      signInWithPassword(
        { email: person.email, password: "wrong password!" },
        { ip: "198.51.100.9", requestId: "r-no" },
      ),
    ).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(
      (await events({ action: "auth.sign_in", actorLabel: person.email })).map((e) => [e.outcome, e.requestId, e.ip]),
    ).toEqual([
      ["success", "r-ok", "198.51.100.9"],
      ["failure", "r-no", "198.51.100.9"],
    ]);

    // An admin change, with before and after.
    const agent = await makeAgent(admin, tenant.id, { status: "active", redirect_uris: [REDIRECT] });
    await updateAgent(admin, agent.id, { description: "Pays suppliers" });
    const [update] = await events({ action: "agent.update", targetId: agent.id });
    expect(update.data).toMatchObject({ before: { description: "" }, after: { description: "Pays suppliers" } });
    expect(update).toMatchObject({ actorType: "user", actorId: admin.id, tenantId: tenant.id });

    // Tokens: issued, refused (with Mandate's reason), revoked; through the real server over HTTP.
    await assignRole(admin, agent.id, roleId);
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
    const token = await clientToken(as, agent.id, secret as string, { scope: "pay.send" });
    const refused = await oauth.clientCredentialsGrantRequest(
      as,
      { client_id: agent.id },
      oauth.ClientSecretBasic("not the secret"),
      new URLSearchParams(),
      insecure,
    );
    expect(refused.status).toBe(401);
    const [issued] = await events({ action: "oauth.token.issued", actorId: agent.id });
    expect(issued).toMatchObject({ outcome: "success", requestId: expect.any(String), ip: expect.any(String) });
    const [refusal] = await events({ action: "oauth.token.refused", actorId: agent.id });
    expect(refusal).toMatchObject({
      outcome: "denied",
      reason: expect.stringMatching(/secret/),
      requestId: expect.any(String),
    });

    // Consent given, and a decision on the person's behalf with its inputs and deciding policy.
    const delegated = await delegatedTokens(server, as, {
      agentId: agent.id,
      secret: secret as string,
      redirectUri: REDIRECT,
      user: member,
      scope: "pay.send",
    });
    expect(await events({ action: "consent.granted", actorId: member.id })).toHaveLength(1);
    const asked = await api(delegated.access_token, "POST", "/decisions", {
      action: "pay.send",
      resource: { type: "Payment", id: "INV-1" },
      context: { amount: 5000, currency: "EUR" },
    });
    expect(asked.body.decision).toBe("needs_approval");
    const [decision] = await events({ action: "decision.evaluate", targetId: asked.body.decision_id });
    expect(decision).toMatchObject({ actorType: "agent", actorId: agent.id, onBehalfOf: member.id, outcome: "denied" });
    expect(decision.data).toMatchObject({
      decision: "needs_approval",
      action: "pay.send",
      context: { amount: 5000 },
      policies: ["Payments need approval"],
    });
    // The log names the agent, the person it acted for, and what was asked.
    const [decisionRow] = (await listAuditEvents(admin, { q: asked.body.decision_id as string })).rows;
    expect(decisionRow).toMatchObject({
      actor: { id: agent.id, name: agent.name },
      onBehalfOf: member.id,
      onBehalfOfName: member.name,
      target: { type: "decision", id: asked.body.decision_id, name: "pay.send on Payment INV-1" },
    });

    // A refresh (rotation) and a revocation by the agent, through the real endpoints.
    const client = { client_id: agent.id };
    const rotated = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(secret as string),
        delegated.refresh_token as string,
        insecure,
      ),
    );
    expect(await events({ action: "oauth.refresh_token.issued", onBehalfOf: member.id })).toHaveLength(2);
    await oauth.revocationRequest(
      as,
      client,
      oauth.ClientSecretBasic(secret as string),
      rotated.access_token,
      insecure,
    );
    const [revoked] = await events({ action: "oauth.token.revoked", actorId: agent.id });
    expect(revoked).toMatchObject({ reason: "revoked by its client", requestId: expect.any(String) });

    // The approval, then the tenant's consent withdrawn (revoking the token), recorded with why.
    await decideApproval(owner, asked.body.approval_id as string, true, { note: "invoice checked" });
    expect(await events({ action: "approval.approve", actorId: owner.id })).toHaveLength(1);
    await withdrawTenantConsent(owner, agent.id, { reason: "contract ended" });
    const [withdrawal] = await events({ action: "consent.withdraw", targetId: agent.id });
    expect(withdrawal).toMatchObject({ reason: "contract ended", data: { grants: 1 } });

    // An export is recorded too.
    const auditor = await makeCaller({ global: "auditor" });
    const exp = await exportAuditEvents(auditor, { format: "ndjson", agent: agent.id });
    await new Response(exp.stream).text();
    const [exported] = await events({ action: "audit.export", actorId: auditor.id });
    expect(exported.data).toMatchObject({ format: "ndjson", filters: { agent: agent.id } });
    void token;

    expect((await verifyChain(await prisma())).ok).toBe(true);
    // Every action recorded is in the catalog the log's action filter offers.
    const recorded = await (await prisma()).auditEvent.findMany({ distinct: ["action"], select: { action: true } });
    expect(recorded.map((r) => r.action).filter((a) => !(a in AUDIT_ACTIONS))).toEqual([]);
  });
});

describe("the audit log", () => {
  it("filters by tenant, action family, outcome, actor, agent, time and search, and pages by cursor", async () => {
    const a = await makeAgent(admin, other.id, { status: "active" });
    for (let i = 0; i < 7; i++) await updateAgent(admin, a.id, { description: `v${i}` });
    const otherAuditor = await makeCaller({ tenants: { [other.id]: "auditor" } });
    const ids = async (caller: UserCaller, input: Record<string, string>) =>
      (await listAuditEvents(caller, input)).rows.map((r) => r.action);

    expect(await ids(otherAuditor, { agent: a.id, action: "agent.update" })).toHaveLength(7);
    expect(await ids(otherAuditor, { agent: a.id, action: "agent.*" })).toEqual(
      expect.arrayContaining(["agent.update", "agent.create", "agent.activate"]),
    );
    // A tenant's auditor sees only that tenant: not sign-ins, not another tenant.
    expect(await ids(otherAuditor, { action: "auth.sign_in" })).toEqual([]);
    await expect(listAuditEvents(otherAuditor, { tenant: tenant.slug })).rejects.toMatchObject({ status: 400 });
    expect((await listAuditEvents(admin, { action: "auth.sign_in" })).rows.length).toBeGreaterThan(0);
    expect(await ids(otherAuditor, { agent: a.id, outcome: "failure" })).toEqual([]);
    expect(await ids(otherAuditor, { actor: admin.id, agent: a.id, action: "agent.update" })).toHaveLength(7);
    expect(await ids(otherAuditor, { q: admin.email.slice(0, 8).toUpperCase(), agent: a.id })).not.toHaveLength(0);
    expect(await ids(otherAuditor, { q: a.id })).not.toHaveLength(0);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await ids(otherAuditor, { agent: a.id, from: future })).toEqual([]);
    expect(await ids(otherAuditor, { agent: a.id, to: future, action: "agent.update" })).toHaveLength(7);

    const p1 = await listAuditEvents(otherAuditor, { agent: a.id, action: "agent.update", page_size: "25" });
    expect(p1).toMatchObject({ total: 7, totalCapped: false, nextCursor: null, prevCursor: null });
    expect(p1.rows.map((r) => Number(r.seq))).toEqual([...p1.rows.map((r) => Number(r.seq))].sort((x, y) => y - x));

    for (const [input, field] of [
      [{ page_size: "7" }, "page_size"],
      [{ cursor: "x1" }, "cursor"],
      [{ from: "yesterday" }, "from"],
      [{ outcome: "maybe" }, "outcome"],
      [{ action: "DROP TABLE" }, "action"],
      [{ agent: "nope" }, "agent"],
    ] as const) {
      await expect(listAuditEvents(admin, input)).rejects.toMatchObject({
        status: 400,
        details: { [field]: expect.any(Array) },
      });
    }
  });

  it("exports CSV, NDJSON and OCSF for the filters; NDJSON verifies offline, and a changed line does not", async () => {
    const a = await makeAgent(admin, tenant.id, { status: "active" });
    for (let i = 0; i < 3; i++) await updateAgent(admin, a.id, { description: `export ${i}, "quoted"\nline` });
    const auditor = await makeCaller({ tenants: { [tenant.id]: "auditor" } });
    const filter = { agent: a.id, action: "agent.update" };
    const text = async (format: string) =>
      new Response((await exportAuditEvents(auditor, { ...filter, format })).stream).text();

    const ndjson = (await text("ndjson")).trimEnd().split("\n");
    expect(ndjson).toHaveLength(4); // the header and three events
    const lines = async function* (list: string[]) {
      yield* list;
    };
    expect(await verifyExport(lines(ndjson))).toMatchObject({ ok: true, events: 3, checkpoint: "valid" });
    const forged = [...ndjson];
    forged[2] = forged[2].replace("export 1", "export X");
    expect(await verifyExport(lines(forged))).toMatchObject({ ok: false, broken: { line: 3 } });

    const csv = await text("csv");
    // Header, then three events whose description holds a comma, quotes and a newline.
    expect(csv.split("\n")[0]).toBe(
      "id,seq,occurred_at,tenant_id,tenant_slug,actor_type,actor_id,actor_label,actor_name,on_behalf_of,on_behalf_of_name,action,target_type,target_id,target_name,outcome,reason,request_id,ip,user_agent,data,prev_hash,hash",
    );
    expect(csv.match(/agent\.update/g)).toHaveLength(3);
    const ocsf = JSON.parse(await text("ocsf")) as {
      class_uid: number;
      api: { operation: string };
      unmapped: { hash: string };
    }[];
    expect(ocsf).toHaveLength(3);
    expect(ocsf[0]).toMatchObject({ class_uid: 6003, activity_id: 3, api: { operation: "agent.update" } });

    // Members and tenant owners do not export (owners read the log; exporting is the auditor's).
    await expect(exportAuditEvents(owner, { format: "csv" })).rejects.toMatchObject({ status: 403 });
    await expect(exportAuditEvents(auditor, { format: "xml" })).rejects.toMatchObject({ status: 400 });
  });
});

describe("through the admin API", () => {
  it("lists, exports and verifies; verification is for installation-wide readers", async () => {
    const auditorToken = (await automationToken(as, admin, { role: "auditor" })).token;
    const tenantAuditor = (await automationToken(as, admin, { role: "tenant_auditor", tenant: tenant.slug })).token;
    const list = await api(auditorToken, "GET", "/audit/events?action=agent.*&page_size=25");
    expect(list.status).toBe(200);
    expect(list.body.data?.[0]).toMatchObject({
      seq: expect.any(String),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const one = await api(auditorToken, "GET", `/audit/events/${list.body.data?.[0].id}`);
    expect(one.body).toMatchObject({ id: list.body.data?.[0].id });
    const exported = await fetch(`${server.issuer}/api/v1/audit/export?format=ndjson&action=agent.create`, {
      headers: { authorization: `Bearer ${auditorToken}` },
    });
    expect(exported.headers.get("content-type")).toBe("application/x-ndjson");
    expect(JSON.parse(exported.headers.get("x-mandate-audit-checkpoint") as string)).toMatchObject({
      seq: expect.any(String),
    });
    const body = (await exported.text()).trimEnd().split("\n");
    expect(body.length).toBeGreaterThan(1);
    expect((await api(auditorToken, "GET", "/audit/export?format=pdf")).status).toBe(400);
    expect((await api(auditorToken, "GET", "/audit/verify")).body).toMatchObject({
      ok: true,
      public_key: expect.any(String),
    });
    expect((await api(tenantAuditor, "GET", "/audit/verify")).status).toBe(403);
    expect((await api(null, "GET", "/audit/events")).status).toBe(401);
  });

  it("an auditor can read everything in scope and change nothing", async () => {
    const auditorToken = (await automationToken(as, admin, { role: "auditor" })).token;
    const db = await prisma();
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const snapshot = async () => ({
      agents: await db.agent.findMany({ orderBy: { id: "asc" } }),
      policies: await db.policyVersion.count(),
      roles: await db.role.count(),
      scopes: await db.scope.count(),
      grants: await db.grant.count({ where: { revokedAt: { not: null } } }),
      credentials: await db.credential.count(),
      clients: await db.automationClient.count({ where: { revokedAt: null } }),
    });
    const before = await snapshot();
    for (const op of Object.values(operations)) {
      if (op.method === "GET" || op.auth === "self") continue;
      const path = op.path.replace("{tenant}", tenant.slug).replace(/\{\w+\}/g, agent.id);
      const r = await api(auditorToken, op.method, path, {
        reason: "an auditor tries",
        name: "audited",
        tenant: tenant.slug,
        text: "permit (principal, action, resource);",
        type: "client_secret",
        grant_ids: ["g"],
        kind: "kill",
        agent: agent.id,
        role: agent.id,
        decision: "approve",
      });
      // Previews change nothing and may answer; everything else is refused (a body the operation
      // cannot read is refused before the role is even looked at).
      if (op.id === "previewRevocation" || op.id === "simulatePolicy") continue;
      expect([400, 403, 404], `${op.id}: ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
    }
    expect(await snapshot()).toEqual(before);
  });
});
