import { beforeAll, describe, expect, it } from "vitest";
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { Caller } from "../auth/caller";
import { allowedScopes, assignRole, createRole, deleteRole, listRoles, removeRole, updateRole } from "../catalog/roles";
import { createScope, deleteScope, listScopes, updateScope } from "../catalog/scopes";
import { prisma } from "../db";
import { deactivateUser } from "../users/deactivate-user";
import { createAgent } from "./create-agent";
import { createCredential, revokeCredential } from "./credentials";
import { getAgentDetail } from "./get-agent";
import { listAgents } from "./list-agents";
import { renewReview } from "./renew-review";
import { transitionAgent, transitionAgents } from "./transition-agent";
import { updateAgent } from "./update-agent";

// Two tenants, each with an agent, a credential, a scope and a role (assigned), plus a global scope
// and role. Every domain function of the agent registry is probed across them, for every role.
type Tenant = Awaited<ReturnType<typeof makeTenant>>;
type Agent = Awaited<ReturnType<typeof makeAgent>>;
interface World {
  tenant: Tenant;
  owner: Caller;
  agent: Agent;
  credentialId: string;
  scopeId: string;
  roleId: string;
}

let A: World;
let B: World;
let admin: Caller;
let globalAuditor: Caller;
let auditorA: Caller;
let memberA: Caller;
let outsider: Caller;
let globalScopeId: string;
let globalRoleId: string;

const scopeName = (word = "scope") => `${unique(word)}.read`;

async function makeWorld(): Promise<World> {
  const tenant = await makeTenant();
  const owner = await makeCaller({ tenants: { [tenant.id]: "tenant_owner" } });
  const agent = await makeAgent(owner, tenant.id, { status: "active" });
  const { credential } = await createCredential(owner, agent.id, { type: "client_secret", label: "main" });
  const scope = await createScope(owner, {
    name: scopeName(),
    description: "Tenant scope",
    risk: "low",
    tenant: tenant.slug,
  });
  const role = await createRole(owner, { name: unique("Role"), tenant: tenant.slug, scopes: [scope.id] });
  await assignRole(owner, agent.id, role.id);
  return { tenant, owner, agent, credentialId: credential.id, scopeId: scope.id, roleId: role.id };
}

beforeAll(async () => {
  admin = await makeCaller({ global: "security_admin" });
  globalAuditor = await makeCaller({ global: "auditor" });
  A = await makeWorld();
  B = await makeWorld();
  auditorA = await makeCaller({ tenants: { [A.tenant.id]: "auditor" } });
  memberA = await makeCaller({ tenants: { [A.tenant.id]: "member" } });
  outsider = await makeCaller();
  const scope = await createScope(admin, {
    name: scopeName("global"),
    description: "Global",
    risk: "medium",
    tenant: null,
  });
  const role = await createRole(admin, { name: unique("Global role"), tenant: null, scopes: [scope.id] });
  globalScopeId = scope.id;
  globalRoleId = role.id;
});

/** Everything the registry stores, to prove that a refusal changed nothing anywhere. */
async function everything() {
  const db = await prisma();
  const byId = { orderBy: { id: "asc" as const } };
  return {
    agents: await db.agent.findMany(byId),
    credentials: await db.credential.findMany(byId),
    scopes: await db.scope.findMany(byId),
    roles: await db.role.findMany(byId),
    roleScopes: await db.roleScope.findMany({ orderBy: [{ roleId: "asc" }, { scopeId: "asc" }] }),
    assignments: await db.roleAssignment.findMany(byId),
    users: await db.user.findMany({ ...byId, select: { id: true, deactivatedAt: true } }),
    history: await db.agentStatusChange.count(),
    audit: await db.auditEvent.count(),
  };
}

type Expected = typeof NotFoundError | typeof ForbiddenError | typeof ValidationError;

/** Runs every probe, expecting each refusal (and the field it names), then that nothing changed. */
async function expectRefusals(probes: [string, () => Promise<unknown>, Expected, string?][]) {
  const before = await everything();
  for (const [label, run, kind, field] of probes) {
    const error = await run().then(
      () => new Error(`${label}: expected ${kind.name}, but it succeeded`),
      (e) => e,
    );
    expect(error, label).toBeInstanceOf(kind);
    if (field) expect(Object.keys(error.details ?? {}), label).toEqual([field]);
  }
  expect(await everything()).toEqual(before);
}

/** Every write function, aimed at one tenant's resources. */
function writes(caller: Caller, w: World): [string, () => Promise<unknown>][] {
  return [
    ["updateAgent", () => updateAgent(caller, w.agent.id, { description: "Changed" })],
    ["transitionAgent", () => transitionAgent(caller, w.agent.id, { transition: "suspend", reason: "Probe" })],
    ["renewReview", () => renewReview(caller, w.agent.id, { reason: "Probe" })],
    ["createCredential", () => createCredential(caller, w.agent.id, { type: "client_secret" })],
    ["revokeCredential", () => revokeCredential(caller, w.agent.id, w.credentialId, { reason: "Probe" })],
    ["updateScope", () => updateScope(caller, w.scopeId, { description: "Changed" })],
    ["deleteScope", () => deleteScope(caller, w.scopeId)],
    ["updateRole", () => updateRole(caller, w.roleId, { description: "Changed" })],
    ["deleteRole", () => deleteRole(caller, w.roleId)],
    ["assignRole", () => assignRole(caller, w.agent.id, globalRoleId)],
    ["removeRole", () => removeRole(caller, w.agent.id, w.roleId)],
  ];
}

const agentInput = (w: World, tenant: string) => ({
  tenant,
  name: unique("agent"),
  owner: w.owner.id,
  environment: "development" as const,
});
const scopeInput = (tenant: string | null) => ({ name: scopeName(), description: "Probe", risk: "low", tenant });
const roleInput = (tenant: string | null, scopes: string[] = []) => ({ name: unique("Role"), tenant, scopes });

describe("a tenant owner and another tenant", () => {
  it("gets NotFound (or a 400 on tenant) from every function aimed at the other tenant, and changes nothing", async () => {
    const o = A.owner;
    await expectRefusals([
      ["listAgents", () => listAgents(o, B.tenant.id, {}), NotFoundError],
      ["getAgentDetail", () => getAgentDetail(o, B.agent.id), NotFoundError],
      ["listScopes", () => listScopes(o, B.tenant.id), NotFoundError],
      ["listRoles", () => listRoles(o, B.tenant.id), NotFoundError],
      ...writes(o, B).map(([label, run]): [string, () => Promise<unknown>, Expected] => [label, run, NotFoundError]),
      ["createAgent by slug", () => createAgent(o, agentInput(B, B.tenant.slug)), ValidationError, "tenant"],
      ["createAgent by id", () => createAgent(o, agentInput(B, B.tenant.id)), ValidationError, "tenant"],
      ["createScope", () => createScope(o, scopeInput(B.tenant.slug)), ValidationError, "tenant"],
      ["createRole", () => createRole(o, roleInput(B.tenant.id)), ValidationError, "tenant"],
      [
        "B's credential through A's agent",
        () => revokeCredential(o, A.agent.id, B.credentialId, { reason: "Probe" }),
        NotFoundError,
      ],
      ["B's role off A's agent", () => removeRole(o, A.agent.id, B.roleId), NotFoundError],
      [
        "B's scope in a role of A",
        () => createRole(o, roleInput(A.tenant.slug, [B.scopeId])),
        ValidationError,
        "scopes",
      ],
      ["B's scope into A's role", () => updateRole(o, A.roleId, { scopes: [B.scopeId] }), ValidationError, "scopes"],
      ["deactivate B's owner", () => deactivateUser(o, B.owner.id, { reason: "Probe" }), ForbiddenError],
    ]);
  });

  it("refuses another tenant's agents in a bulk change, one by one, touching none of them", async () => {
    const before = await everything();
    const results = await transitionAgents(A.owner, { ids: [B.agent.id], transition: "suspend", reason: "Probe" });
    expect(results).toEqual([{ id: B.agent.id, ok: false, error: new NotFoundError("agent").message }]);
    expect(await everything()).toEqual(before);
  });

  it("sees only its own tenant's and global entries in lists", async () => {
    const agents = await listAgents(A.owner, A.tenant.id, {});
    expect(agents.rows.map((r) => r.id)).toEqual([A.agent.id]);
    expect((await listScopes(A.owner, A.tenant.id)).map((s) => s.id).sort()).toEqual([A.scopeId, globalScopeId].sort());
    expect((await listRoles(A.owner, A.tenant.id)).map((r) => r.id).sort()).toEqual([A.roleId, globalRoleId].sort());
  });

  it("may reuse a name another tenant uses, so names cannot be probed", async () => {
    const db = await prisma();
    const bScope = await db.scope.findUniqueOrThrow({ where: { id: B.scopeId } });
    const bRole = await db.role.findUniqueOrThrow({ where: { id: B.roleId } });
    const scope = await createScope(A.owner, { ...scopeInput(A.tenant.slug), name: bScope.name });
    const role = await createRole(A.owner, { ...roleInput(A.tenant.slug), name: bRole.name });
    const agent = await createAgent(A.owner, { ...agentInput(A, A.tenant.slug), name: B.agent.name });
    expect([scope.tenantId, role.tenantId, agent.tenantId]).toEqual([A.tenant.id, A.tenant.id, A.tenant.id]);
    await deleteRole(A.owner, role.id);
    await deleteScope(A.owner, scope.id);
    await transitionAgent(A.owner, agent.id, { transition: "retire", reason: "Test tidy-up" });
  });

  it("hides every tenant from a signed-in user with no membership", async () => {
    await expectRefusals([
      ["listAgents", () => listAgents(outsider, A.tenant.id, {}), NotFoundError],
      ["listScopes", () => listScopes(outsider, A.tenant.id), NotFoundError],
      ["listRoles", () => listRoles(outsider, A.tenant.id), NotFoundError],
      ["getAgentDetail", () => getAgentDetail(outsider, A.agent.id), NotFoundError],
      ...writes(outsider, A).map(([label, run]): [string, () => Promise<unknown>, Expected] => [
        label,
        run,
        NotFoundError,
      ]),
      ["createAgent", () => createAgent(outsider, agentInput(A, A.tenant.slug)), ValidationError, "tenant"],
    ]);
  });
});

describe("auditors", () => {
  it("read agents, scopes and roles: a tenant auditor in their tenant, a global auditor everywhere", async () => {
    for (const [caller, worlds] of [
      [auditorA, [A]],
      [globalAuditor, [A, B]],
    ] as const) {
      for (const w of worlds) {
        expect((await listAgents(caller, w.tenant.id, {})).rows.map((r) => r.id)).toContain(w.agent.id);
        const detail = await getAgentDetail(caller, w.agent.id);
        expect(detail.id).toBe(w.agent.id);
        expect(detail.can).toEqual({
          write: false,
          owner: false,
          renew: false,
          suspend: false,
          credentials: false,
          revokeTokens: false,
          consent: false,
          kill: false,
          audit: true,
          grants: true,
        });
        expect((await listScopes(caller, w.tenant.id)).map((s) => s.id)).toContain(w.scopeId);
        expect((await listRoles(caller, w.tenant.id)).map((r) => r.id)).toContain(w.roleId);
      }
    }
    await expect(listAgents(auditorA, B.tenant.id, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(getAgentDetail(auditorA, B.agent.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ["a tenant auditor", () => auditorA, () => A],
    ["a global auditor", () => globalAuditor, () => B],
  ])("%s gets Forbidden from every write function and changes nothing", async (_who, who, where) => {
    const caller = who();
    const w = where();
    await expectRefusals([
      ...writes(caller, w).map(([label, run]): [string, () => Promise<unknown>, Expected] => [
        label,
        run,
        ForbiddenError,
      ]),
      ["createAgent", () => createAgent(caller, agentInput(w, w.tenant.slug)), ForbiddenError],
      ["createScope", () => createScope(caller, scopeInput(w.tenant.slug)), ForbiddenError],
      ["createScope global", () => createScope(caller, scopeInput(null)), ForbiddenError],
      ["createRole", () => createRole(caller, roleInput(w.tenant.id)), ForbiddenError],
      ["createRole global", () => createRole(caller, roleInput(null)), ForbiddenError],
      ["updateScope global", () => updateScope(caller, globalScopeId, { description: "Changed" }), ForbiddenError],
      ["deleteRole global", () => deleteRole(caller, globalRoleId), ForbiddenError],
      ["deactivateUser", () => deactivateUser(caller, w.owner.id, { reason: "Probe" }), ForbiddenError],
    ]);
    const before = await everything();
    const bulk = await transitionAgents(caller, { ids: [w.agent.id], transition: "suspend", reason: "Probe" });
    expect(bulk).toEqual([{ id: w.agent.id, ok: false, error: new ForbiddenError().message }]);
    expect(await everything()).toEqual(before);
  });
});

describe("members", () => {
  it("get Forbidden on their tenant's lists and NotFound for its agents, scopes and roles", async () => {
    await expectRefusals([
      ["listAgents", () => listAgents(memberA, A.tenant.id, {}), ForbiddenError],
      ["listScopes", () => listScopes(memberA, A.tenant.id), ForbiddenError],
      ["listRoles", () => listRoles(memberA, A.tenant.id), ForbiddenError],
      ["getAgentDetail", () => getAgentDetail(memberA, A.agent.id), NotFoundError],
      ...writes(memberA, A).map(([label, run]): [string, () => Promise<unknown>, Expected] => [
        label,
        run,
        NotFoundError,
      ]),
      ["createAgent", () => createAgent(memberA, agentInput(A, A.tenant.slug)), ForbiddenError],
      ["createScope", () => createScope(memberA, scopeInput(A.tenant.slug)), ForbiddenError],
      ["createRole", () => createRole(memberA, roleInput(A.tenant.slug)), ForbiddenError],
      ["listAgents of B", () => listAgents(memberA, B.tenant.id, {}), NotFoundError],
    ]);
    const before = await everything();
    const bulk = await transitionAgents(memberA, { ids: [A.agent.id], transition: "suspend", reason: "Probe" });
    expect(bulk).toEqual([{ id: A.agent.id, ok: false, error: new NotFoundError("agent").message }]);
    expect(await everything()).toEqual(before);
  });
});

describe("a global security admin", () => {
  it("acts on every tenant's agents, credentials and catalog", async () => {
    const w = B;
    expect((await listAgents(admin, w.tenant.id, {})).rows.map((r) => r.id)).toContain(w.agent.id);
    expect((await getAgentDetail(admin, w.agent.id)).can).toEqual({
      write: true,
      owner: false,
      renew: true,
      suspend: true,
      credentials: true,
      revokeTokens: true,
      consent: true,
      kill: true,
      audit: true,
      grants: true,
    });
    const agent = await createAgent(admin, agentInput(w, w.tenant.slug));
    expect(agent.tenantId).toBe(w.tenant.id);
    await updateAgent(admin, agent.id, { description: "Set by the admin" });
    await transitionAgent(admin, agent.id, { transition: "activate", reason: "Admin go-live" });
    expect(
      await transitionAgents(admin, { ids: [agent.id, A.agent.id], transition: "suspend", reason: "Admin freeze" }),
    ).toEqual([
      { id: agent.id, ok: true },
      { id: A.agent.id, ok: true },
    ]);
    await transitionAgents(admin, { ids: [A.agent.id], transition: "resume", reason: "Admin thaw" });
    await renewReview(admin, agent.id, { reason: "Admin renewal" });
    const { credential } = await createCredential(admin, agent.id, { type: "client_secret" });
    await revokeCredential(admin, agent.id, credential.id, { reason: "Admin revoke" });
    const scope = await createScope(admin, scopeInput(w.tenant.slug));
    const role = await createRole(admin, roleInput(w.tenant.id, [scope.id, globalScopeId]));
    await updateScope(admin, scope.id, { risk: "high" });
    await updateRole(admin, role.id, { description: "Admin role" });
    await assignRole(admin, agent.id, role.id);
    expect(await allowedScopes(await prisma(), agent.id)).toHaveLength(2);
    await removeRole(admin, agent.id, role.id);
    await deleteRole(admin, role.id);
    await deleteScope(admin, scope.id);
    expect((await getAgentDetail(admin, agent.id)).status).toBe("suspended");
    const tenantAudit = await (await prisma()).auditEvent.count({
      where: { tenantId: w.tenant.id, actorId: admin.id },
    });
    expect(tenantAudit).toBeGreaterThanOrEqual(12);
  });

  it("alone creates and changes global scopes and roles; a tenant owner gets Forbidden", async () => {
    const o = A.owner;
    await expectRefusals([
      ["createScope global", () => createScope(o, scopeInput(null)), ForbiddenError],
      ["createRole global", () => createRole(o, roleInput(null)), ForbiddenError],
      ["updateScope global", () => updateScope(o, globalScopeId, { description: "Changed" }), ForbiddenError],
      ["deleteScope global", () => deleteScope(o, globalScopeId), ForbiddenError],
      ["updateRole global", () => updateRole(o, globalRoleId, { scopes: [] }), ForbiddenError],
      ["deleteRole global", () => deleteRole(o, globalRoleId), ForbiddenError],
    ]);
    const scope = await createScope(admin, scopeInput(null));
    expect(scope.tenantId).toBeNull();
    for (const w of [A, B]) {
      expect((await listScopes(w.owner, w.tenant.id)).find((s) => s.id === scope.id)).toMatchObject({ global: true });
    }
    const role = await createRole(admin, roleInput(null, [scope.id]));
    expect((await listRoles(B.owner, B.tenant.id)).find((r) => r.id === role.id)).toMatchObject({ global: true });
    // A global role may only bundle global scopes.
    await expectRefusals([
      [
        "tenant scope in a global role",
        () => updateRole(admin, role.id, { scopes: [A.scopeId] }),
        ValidationError,
        "scopes",
      ],
    ]);
    await deleteRole(admin, role.id);
    await deleteScope(admin, scope.id);
  });
});

describe("tenant catalog", () => {
  it("lets a tenant owner create, change and delete scopes and roles in their own tenant only", async () => {
    const o = A.owner;
    const scope = await createScope(o, scopeInput(A.tenant.slug));
    expect(scope.tenantId).toBe(A.tenant.id);
    const role = await createRole(o, roleInput(A.tenant.id, [scope.id, globalScopeId]));
    expect(role.tenantId).toBe(A.tenant.id);
    expect((await listScopes(o, A.tenant.id)).find((s) => s.id === scope.id)).toMatchObject({ global: false });
    expect((await listRoles(o, A.tenant.id)).find((r) => r.id === role.id)).toMatchObject({
      global: false,
      scopes: expect.arrayContaining([expect.objectContaining({ id: scope.id })]),
    });
    expect((await listScopes(B.owner, B.tenant.id)).map((s) => s.id)).not.toContain(scope.id);
    expect((await listRoles(B.owner, B.tenant.id)).map((r) => r.id)).not.toContain(role.id);
    await expectRefusals([
      ["B's owner updates A's scope", () => updateScope(B.owner, scope.id, { risk: "high" }), NotFoundError],
      ["B's owner deletes A's role", () => deleteRole(B.owner, role.id), NotFoundError],
    ]);
    await updateScope(o, scope.id, { description: "Changed by owner" });
    await updateRole(o, role.id, { name: unique("Renamed") });
    await deleteRole(o, role.id);
    await deleteScope(o, scope.id);
    const db = await prisma();
    expect(await db.role.findUnique({ where: { id: role.id } })).toBeNull();
    expect(await db.scope.findUnique({ where: { id: scope.id } })).toBeNull();
  });

  it("never assigns a role of one tenant to an agent of another, whoever asks", async () => {
    await expectRefusals([
      ["A's owner", () => assignRole(A.owner, A.agent.id, B.roleId), NotFoundError],
      ["B's owner", () => assignRole(B.owner, A.agent.id, B.roleId), NotFoundError],
      ["the admin", () => assignRole(admin, A.agent.id, B.roleId), NotFoundError],
      ["the admin, other way", () => assignRole(admin, B.agent.id, A.roleId), NotFoundError],
    ]);
    // A global role may be given in any tenant.
    await assignRole(A.owner, A.agent.id, globalRoleId);
    await assignRole(B.owner, B.agent.id, globalRoleId);
    const roles = await listRoles(A.owner, A.tenant.id);
    // The count is per tenant: B's assignment does not show in A.
    expect(roles.find((r) => r.id === globalRoleId)?.agentCount).toBe(1);
    await removeRole(A.owner, A.agent.id, globalRoleId);
    await removeRole(B.owner, B.agent.id, globalRoleId);
  });

  it("keeps every refusal a DomainError, never a database error, for malformed ids", async () => {
    for (const id of ["junk", "", "1; DROP TABLE agents", "00000000-0000-0000-0000-000000000000"]) {
      for (const run of [
        () => getAgentDetail(admin, id),
        () => updateScope(admin, id, { description: "Changed" }),
        () => deleteRole(admin, id),
        () => assignRole(admin, A.agent.id, id),
        () => removeRole(admin, A.agent.id, id),
        () => revokeCredential(admin, A.agent.id, id, { reason: "Probe" }),
      ]) {
        const error = await run().catch((e) => e);
        expect(error, id).toBeInstanceOf(DomainError);
        expect(error.status, id).toBe(404);
      }
    }
  });
});
