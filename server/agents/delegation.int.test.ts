import type * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { createCredential } from "@/server/agents/credentials";
import type { UserCaller } from "@/server/auth/caller";
import { assignRole, createRole } from "@/server/catalog/roles";
import { createScope } from "@/server/catalog/scopes";
import { prisma } from "@/server/db";
import { api, automationToken, clientToken, discover, startApiTestServer } from "@/tests/admin-api";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { OAuthTestServer } from "@/tests/oauth-server";
import { ACCESS, exchangeKit } from "@/tests/token-exchange";
import { createAgent } from "./create-agent";
import { getAgentDetail } from "./get-agent";
import { updateAgent } from "./update-agent";

// The registry's "may delegate to" and the tenant's delegation depth: set through the domain and
// the admin API, checked against the tenant, audited, and enforced by the real token endpoint.

let server: OAuthTestServer;
let as: oauth.AuthorizationServer;
let admin: UserCaller;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;

beforeAll(async () => {
  server = await startApiTestServer();
  as = await discover(server);
  admin = await makeCaller({ global: "security_admin" });
  a = await makeTenant();
  b = await makeTenant();
});
afterAll(() => server?.close());
const { exchange, introspect } = exchangeKit(() => ({ as, admin }));

async function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e) => e,
  );
}

async function lastUpdate(agentId: string) {
  return (await prisma()).auditEvent.findFirst({
    where: { action: "agent.update", targetId: agentId },
    orderBy: { id: "desc" },
  });
}

describe("may_delegate_to in the registry", () => {
  it("defaults to null (any agent of the tenant), takes a list of the tenant's agents, and audits the change", async () => {
    const helper = await makeAgent(admin, a.id);
    const agent = await makeAgent(admin, a.id);
    expect((await getAgentDetail(admin, agent.id)).mayDelegateTo).toBeNull();

    await updateAgent(admin, agent.id, { may_delegate_to: [helper.id, helper.id] });
    const detail = await getAgentDetail(admin, agent.id);
    expect(detail.mayDelegateTo).toEqual([helper.id]);
    expect(detail.delegates).toEqual([{ id: helper.id, name: helper.name }]);
    expect((await lastUpdate(agent.id))?.data).toEqual({
      before: { may_delegate_to: null },
      after: { may_delegate_to: [helper.id] },
    });

    await updateAgent(admin, agent.id, { may_delegate_to: [] });
    const row = await (await prisma()).agent.findUniqueOrThrow({ where: { id: agent.id } });
    expect([row.delegationRestricted, row.mayDelegateTo]).toEqual([true, []]);
    expect((await lastUpdate(agent.id))?.data).toEqual({
      before: { may_delegate_to: [helper.id] },
      after: { may_delegate_to: [] },
    });

    await updateAgent(admin, agent.id, { may_delegate_to: null });
    expect((await getAgentDetail(admin, agent.id)).mayDelegateTo).toBeNull();
  });

  it("registers an agent with a list, recorded in the create event", async () => {
    const helper = await makeAgent(admin, a.id);
    const agent = await createAgent(admin, {
      tenant: a.slug,
      name: unique("agent"),
      owner: admin.id,
      environment: "development",
      may_delegate_to: [helper.id],
    });
    expect((await getAgentDetail(admin, agent.id)).mayDelegateTo).toEqual([helper.id]);
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "agent.create", targetId: agent.id },
    });
    expect((event.data as { after: { may_delegate_to: string[] } }).after.may_delegate_to).toEqual([helper.id]);
  });

  it("refuses another tenant's agent, an unknown id, a malformed one and too many, changing nothing", async () => {
    const agent = await makeAgent(admin, a.id);
    const foreign = await makeAgent(admin, b.id);
    const events = await (await prisma()).auditEvent.count({ where: { targetId: agent.id } });
    for (const ids of [
      [foreign.id],
      [crypto.randomUUID()],
      ["not-an-id"],
      Array.from({ length: 101 }, () => crypto.randomUUID()),
    ]) {
      const error = await refusal(updateAgent(admin, agent.id, { may_delegate_to: ids }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)[0]).toMatch(/^may_delegate_to/);
    }
    const error = await refusal(updateAgent(admin, agent.id, { may_delegate_to: [foreign.id] }));
    expect(error.details.may_delegate_to[0]).toContain(foreign.id);
    const created = await refusal(
      createAgent(admin, {
        tenant: a.slug,
        name: unique("agent"),
        owner: admin.id,
        environment: "development",
        may_delegate_to: [foreign.id],
      }),
    );
    expect(created).toBeInstanceOf(ValidationError);
    expect((await getAgentDetail(admin, agent.id)).mayDelegateTo).toBeNull();
    expect(await (await prisma()).auditEvent.count({ where: { targetId: agent.id } })).toBe(events);
  });
});

describe("through the admin API and the token endpoint", () => {
  it("PATCH /agents/{id} takes and returns may_delegate_to; a foreign id is a 400 naming the field", async () => {
    const { token } = await automationToken(as, admin, { role: "tenant_owner", tenant: a.slug });
    const helper = await makeAgent(admin, a.id);
    const agent = await makeAgent(admin, a.id);
    const foreign = await makeAgent(admin, b.id);
    expect((await api(token, "GET", `/agents/${agent.id}`)).body.may_delegate_to).toBeNull();
    const ok = await api(token, "PATCH", `/agents/${agent.id}`, { may_delegate_to: [helper.id] });
    expect(ok.status).toBe(200);
    expect(ok.body.may_delegate_to).toEqual([helper.id]);
    const bad = await api(token, "PATCH", `/agents/${agent.id}`, { may_delegate_to: [foreign.id] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("may_delegate_to");
    expect((await api(token, "GET", `/agents/${agent.id}`)).body.may_delegate_to).toEqual([helper.id]);
  });

  it("a restricted agent's new token names the list in may_act; an unlisted agent's exchange is invalid_grant", async () => {
    const tenant = await makeTenant();
    const tag = unique("t");
    const scope = await createScope(admin, {
      name: `crm.read.${tag}`,
      description: "read",
      risk: "low",
      tenant: tenant.id,
    });
    const role = await createRole(admin, { name: `reader-${tag}`, tenant: tenant.id, scopes: [scope.id] });
    const agent = async () => {
      const x = await makeAgent(admin, tenant.id, { status: "active" });
      await assignRole(admin, x.id, role.id);
      const { secret } = await createCredential(admin, x.id, { type: "client_secret" });
      return { id: x.id, secret: secret as string };
    };
    const [planner, researcher, runner] = [await agent(), await agent(), await agent()];
    const { token } = await automationToken(as, admin, { role: "tenant_owner", tenant: tenant.slug });
    expect((await api(token, "PATCH", `/agents/${planner.id}`, { may_delegate_to: [researcher.id] })).status).toBe(200);

    const origin = await clientToken(as, planner.id, planner.secret, { scope: scope.name });
    const seen = await introspect(planner, origin);
    expect(seen.may_act).toEqual({ tenant_id: tenant.id, client_id: [researcher.id] });
    expect(await exchange(runner, origin)).toMatchObject({ error: "invalid_grant" });
    expect(await exchange(researcher, origin)).toMatchObject({ issued_token_type: ACCESS });

    // Back to "any agent of the tenant": the next token lets the runner act.
    expect((await api(token, "PATCH", `/agents/${planner.id}`, { may_delegate_to: null })).status).toBe(200);
    const open = await clientToken(as, planner.id, planner.secret, { scope: scope.name });
    expect((await introspect(planner, open)).may_act).toEqual({ tenant_id: tenant.id });
    expect(await exchange(runner, open)).toMatchObject({ issued_token_type: ACCESS });
  });

  it("PATCH /tenants/{tenant} sets max_delegation_depth for an owner, GET returns it, bad values are 400s", async () => {
    const tenant = await makeTenant();
    const owner = await automationToken(as, admin, { role: "tenant_owner", tenant: tenant.slug });
    expect((await api(owner.token, "GET", `/tenants/${tenant.slug}`)).body.max_delegation_depth).toBe(3);
    const ok = await api(owner.token, "PATCH", `/tenants/${tenant.slug}`, { max_delegation_depth: 1 });
    expect(ok.status).toBe(200);
    expect(ok.body.max_delegation_depth).toBe(1);
    for (const value of [0, 11, "x"]) {
      const bad = await api(owner.token, "PATCH", `/tenants/${tenant.slug}`, { max_delegation_depth: value });
      expect(bad.status).toBe(400);
    }
    // Renaming stays with security admins, and a refused rename sets no depth either.
    const both = await api(owner.token, "PATCH", `/tenants/${tenant.slug}`, {
      name: "Renamed",
      max_delegation_depth: 7,
    });
    expect(both.status).toBe(403);
    const read = await api(owner.token, "GET", `/tenants/${tenant.slug}`);
    expect([read.body.name, read.body.max_delegation_depth]).toEqual([tenant.name, 1]);
    const event = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "tenant.settings.update", tenantId: tenant.id },
    });
    expect(event.data).toEqual({ before: { max_delegation_depth: 3 }, after: { max_delegation_depth: 1 } });
  });
});
