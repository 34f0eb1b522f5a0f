import { randomBytes, randomUUID } from "node:crypto";
import type * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyExport } from "@/lib/audit/verify-export";
import { createCredential } from "@/server/agents/credentials";
import { updateAgent } from "@/server/agents/update-agent";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { killAgent, withdrawTenantConsent } from "@/server/grants/revoke";
import { changeMemberRole } from "@/server/tenants/members";
import { clientToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { withRequestMeta } from "../audit/context";
import { recordAudit } from "../audit/record";
import { type AuditEventRow, getAuditEvent, listAuditEvents } from "./events";
import { exportAuditEvents } from "./export";

// The audit log as people search it: by an agent's name (hyphens and all), a person's name, an
// automation client's client id, or an exact id; the action families; names beside ids in the
// table and the exports; and none of it crossing tenants. Guards against the search that took
// any word of 16 letters, digits and dashes for an id (`expense-reporter…` found nothing) and
// did not look at people's names at all.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let auditor: UserCaller;
let otherAuditor: UserCaller;
let roleId: string;
const tag = () => randomBytes(3).toString("hex");

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  tenant = await makeTenant();
  other = await makeTenant();
  auditor = await makeCaller({ tenants: { [tenant.id]: "auditor" } });
  otherAuditor = await makeCaller({ tenants: { [other.id]: "auditor" } });
  const scope = await createScope(admin, {
    name: `reports.r${tag()}`,
    description: "Reports",
    risk: "low",
    tenant: null,
  });
  roleId = (await createRole(admin, { name: `reporter-${tag()}`, tenant: null, scopes: [scope.id] })).id;
});
afterAll(async () => {
  await server?.close();
});

const rowsFor = async (caller: UserCaller, input: Record<string, string>) =>
  (await listAuditEvents(caller, { page_size: "100", ...input })).rows;
const actions = (rows: AuditEventRow[]) => rows.map((r) => r.action).sort();

/** An active agent with a role and a secret, that has had a token (an event by it, labelled with its id). */
async function agentWithToken(tenantId: string, name: string) {
  const agent = await makeAgent(admin, tenantId, { name, status: "active" });
  await assignRole(admin, agent.id, roleId);
  const { secret } = await createCredential(admin, agent.id, { type: "client_secret" });
  await clientToken(as, agent.id, secret as string);
  return agent;
}

describe("searching by name", () => {
  it("a hyphenated agent name finds the events by the agent and about it, in its tenant only", async () => {
    const name = `expense-reporter-${tag()}`;
    const agent = await agentWithToken(tenant.id, name);
    await updateAgent(admin, agent.id, { description: "Files expense reports" });
    // Another tenant's agent of almost the same name: not the auditor's.
    const twin = await agentWithToken(other.id, `${name}-eu`);

    const found = await rowsFor(auditor, { q: name });
    // By it: its token (recorded under its client id, not its name); about it: its registration,
    // activation, role, credential and change.
    expect(found.filter((r) => r.actor.id === agent.id).map((r) => r.action)).toContain("oauth.token.issued");
    expect(actions(found.filter((r) => r.target.id === agent.id))).toEqual(
      expect.arrayContaining(["agent.create", "agent.activate", "agent.role.assign", "agent.update"]),
    );
    expect(found.every((r) => r.tenant?.id === tenant.id)).toBe(true);
    // Case and part of the name find it too.
    expect((await rowsFor(auditor, { q: name.slice(0, 12).toUpperCase() })).map((r) => r.id)).toEqual(
      expect.arrayContaining(found.map((r) => r.id)),
    );

    // The other tenant's auditor finds its own agent only; a security admin finds both.
    const theirs = await rowsFor(otherAuditor, { q: name });
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((r) => r.tenant?.id === other.id && [r.actor.id, r.target.id].includes(twin.id))).toBe(true);
    const everyone = await rowsFor(admin, { q: name });
    expect(new Set(everyone.map((r) => r.tenant?.id))).toEqual(new Set([tenant.id, other.id]));
  });

  it("a person's name finds what they did and what was done about them", async () => {
    const name = `Priya Raman-${tag()}`;
    const priya = await makeCaller({ name, tenants: { [tenant.id]: "tenant_owner" } });
    const agent = await makeAgent(admin, tenant.id);
    await updateAgent(priya, agent.id, { description: "Reviewed by Priya" });
    await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } }); // the tenant keeps an owner
    await changeMemberRole(admin, tenant.id, priya.id, { role: "auditor" });

    const found = await rowsFor(auditor, { q: name.toLowerCase() });
    // Done by her (recorded under her email, which does not hold her name) and about her.
    expect(found.find((r) => r.action === "agent.update")).toMatchObject({
      actor: { id: priya.id, label: priya.email, name },
      target: { id: agent.id, name: agent.name },
    });
    expect(actions(found.filter((r) => r.target.id === priya.id))).toEqual([
      "tenant.member.add",
      "tenant.member.role_change",
    ]);
    expect(found.every((r) => r.actor.id === priya.id || r.target.id === priya.id)).toBe(true);
    // Her email still finds what she did.
    expect((await rowsFor(auditor, { q: priya.email })).map((r) => r.action)).toContain("agent.update");
    // Another tenant's auditor finds nothing of hers.
    expect(await rowsFor(otherAuditor, { q: name })).toEqual([]);
  });
});

describe("searching by id", () => {
  it("an exact UUID or request id matches exactly; a piece of one is not an id", async () => {
    const agent = await makeAgent(admin, tenant.id);
    const requestId = randomUUID();
    await withRequestMeta({ requestId, ip: "203.0.113.5" }, () => updateAgent(admin, agent.id, { description: "x" }));
    await updateAgent(admin, agent.id, { description: "y" });

    const byRequest = await rowsFor(auditor, { q: requestId });
    expect(byRequest.map((r) => [r.action, r.requestId, r.target.id])).toEqual([["agent.update", requestId, agent.id]]);
    expect(await rowsFor(auditor, { q: requestId.slice(0, 23) })).toEqual([]);
    // Ids are case-insensitive, as UUIDs are.
    expect(await rowsFor(auditor, { q: requestId.toUpperCase() })).toHaveLength(1);

    const byAgent = await rowsFor(auditor, { q: agent.id });
    expect(byAgent.every((r) => r.target.id === agent.id || r.actor.id === agent.id)).toBe(true);
    expect(actions(byAgent)).toEqual(["agent.create", "agent.update", "agent.update"]);
    // Another tenant's auditor cannot find it by id either.
    expect(await rowsFor(otherAuditor, { q: agent.id })).toEqual([]);
  });

  it("an automation client's client id finds the events about the client and by it", async () => {
    const clientId = `nightly-export-${tag()}`;
    const { client, secret } = await createAutomationClient(admin, {
      client_id: clientId,
      name: "Nightly export",
      role: "tenant_auditor",
      tenant: tenant.slug,
    });
    await clientToken(as, clientId, secret);

    const found = await rowsFor(auditor, { q: clientId });
    expect(found.find((r) => r.action === "automation_client.create")).toMatchObject({
      target: { id: client.id, name: "Nightly export" },
    });
    expect(found.find((r) => r.action === "oauth.token.issued")).toMatchObject({
      actor: { type: "client", name: "Nightly export" },
    });
    // A piece of the client id is not the id: the client's creation (about it, by someone else) is not found.
    const piece = await rowsFor(auditor, { q: clientId.slice(0, 14) });
    expect(piece.map((r) => r.action)).not.toContain("automation_client.create");
    // Its name finds both.
    expect(actions(await rowsFor(auditor, { q: "nightly export" }))).toEqual(
      expect.arrayContaining(["automation_client.create", "oauth.token.issued"]),
    );
    expect(await rowsFor(otherAuditor, { q: clientId })).toEqual([]);
  });
});

describe("action families", () => {
  it("grant.* includes the tenant's consent withdrawal and the kill switch, and not what leaves grants alone", async () => {
    const withdrawn = await makeAgent(admin, tenant.id, { status: "active" });
    const killed = await makeAgent(admin, tenant.id, { status: "active" });
    await withdrawTenantConsent(admin, withdrawn.id, { reason: "contract ended" });
    await killAgent(admin, killed.id, { reason: "leaked secret" });

    const grants = await rowsFor(auditor, { action: "grant.*" });
    expect(grants.find((r) => r.action === "consent.withdraw")?.target.id).toBe(withdrawn.id);
    expect(grants.find((r) => r.action === "agent.kill")?.target.id).toBe(killed.id);
    expect(grants.map((r) => r.action)).not.toContain("agent.update");
    expect(grants.map((r) => r.action)).not.toContain("agent.suspend");
    // The kill switch's suspension is an agent event; both are in agent.*.
    expect(actions(await rowsFor(auditor, { action: "agent.*", agent: killed.id }))).toEqual(
      expect.arrayContaining(["agent.kill", "agent.suspend"]),
    );
    // Another tenant's auditor sees none of them.
    expect((await rowsFor(otherAuditor, { action: "grant.*" })).filter((r) => r.tenant?.id === tenant.id)).toEqual([]);
    await expect(listAuditEvents(auditor, { action: "payroll.*" })).rejects.toMatchObject({
      status: 400,
      details: { action: expect.any(Array) },
    });
  });
});

describe("names beside ids", () => {
  it("the CSV, NDJSON and OCSF exports carry tenant slugs and names, and NDJSON still verifies", async () => {
    const agent = await makeAgent(admin, tenant.id, { name: `invoice-bot-${tag()}` });
    await updateAgent(admin, agent.id, { description: 'with "quotes", and commas' });
    const exporter = await makeCaller({ tenants: { [tenant.id]: "auditor" } });
    const text = async (format: string) =>
      new Response(
        (await exportAuditEvents(exporter, { format, agent: agent.id, action: "agent.update" })).stream,
      ).text();

    const [header, line, ...rest] = (await text("csv")).trimEnd().split("\n");
    expect(rest).toEqual([]);
    expect(header).toBe(
      "id,seq,occurred_at,tenant_id,tenant_slug,actor_type,actor_id,actor_label,actor_name,on_behalf_of,on_behalf_of_name,action,target_type,target_id,target_name,outcome,reason,request_id,ip,user_agent,data,prev_hash,hash",
    );
    const [event] = await rowsFor(exporter, { agent: agent.id, action: "agent.update" });
    expect(line).toContain(
      `,${tenant.id},${tenant.slug},user,${admin.id},${admin.email},${admin.name},,,agent.update,agent,${agent.id},${agent.name},success,`,
    );
    expect(line.startsWith(`${event.id},${event.seq},`)).toBe(true);

    const ndjson = (await text("ndjson")).trimEnd().split("\n");
    expect(JSON.parse(ndjson[1])).toMatchObject({
      tenant_slug: tenant.slug,
      actor_name: admin.name,
      target_name: agent.name,
      target_id: agent.id,
    });
    const lines = async function* () {
      yield* ndjson;
    };
    expect(await verifyExport(lines())).toMatchObject({ ok: true, events: 1, checkpoint: "valid" });
    // A name is not part of the chain, but a recorded field still is.
    const forged = ndjson.map((l, i) => (i === 1 ? l.replace(agent.id, randomUUID()) : l));
    const forgedLines = async function* () {
      yield* forged;
    };
    expect(await verifyExport(forgedLines())).toMatchObject({ ok: false, broken: { line: 2 } });

    const [ocsf] = JSON.parse(await text("ocsf")) as {
      actor: { user: { name: string } };
      resources: { name: string }[];
      unmapped: { tenant_slug: string };
    }[];
    expect(ocsf).toMatchObject({
      actor: { user: { name: admin.name } },
      resources: [{ name: agent.name }],
      unmapped: { tenant_slug: tenant.slug },
    });
  });

  it("the table's rows name actors, people acted for and targets; never another tenant's things", async () => {
    const mine = await makeAgent(admin, tenant.id);
    const theirs = await makeAgent(admin, other.id, { name: `secret-project-${tag()}` });
    // An event of this tenant that names another tenant's agent (none does today: this is the guard).
    await recordAudit(await prisma(), {
      action: "decision.evaluate",
      outcome: "success",
      tenantId: tenant.id,
      actor: { type: "agent", id: theirs.id, label: "recorded label" },
      onBehalfOf: admin.id,
      target: { type: "agent", id: mine.id },
    });
    const [row] = await rowsFor(auditor, { action: "decision.evaluate", agent: mine.id });
    expect(row).toMatchObject({
      tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
      actor: { id: theirs.id, label: "recorded label", name: null },
      onBehalfOf: admin.id,
      onBehalfOfName: admin.name,
      target: { id: mine.id, name: mine.name },
    });
    // A reader of both tenants sees the name.
    const [seen] = await rowsFor(admin, { action: "decision.evaluate", agent: mine.id });
    expect(seen.actor.name).toBe(theirs.name);
    // The event's own page is the tenant's readers', and nobody else's.
    expect((await getAuditEvent(auditor, row.id)).actor.name).toBeNull();
    await expect(getAuditEvent(otherAuditor, row.id)).rejects.toMatchObject({ status: 404 });
    // Nor does the export name it.
    const csv = await new Response(
      (await exportAuditEvents(auditor, { format: "csv", action: "decision.evaluate", agent: mine.id })).stream,
    ).text();
    expect(csv).not.toContain(theirs.name);
    expect(csv).toContain(mine.name);
  });
});
