import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant, unique } from "@/tests/factories";
import type { UserCaller as Caller } from "../auth/caller";
import { prisma } from "../db";
import { deactivateUser } from "../users/deactivate-user";
import { createAgent } from "./create-agent";
import { updateAgent } from "./update-agent";

const _DAY = 86_400_000;

let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let admin: Caller;
let owner: Caller;
let member: Caller;
let colleague: Caller;
let outsider: Caller;

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
  owner = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
  member = await makeCaller({ tenants: { [a.id]: "member" } });
  colleague = await makeCaller({ tenants: { [a.id]: "auditor" } });
  outsider = await makeCaller({ tenants: { [b.id]: "tenant_owner" } });
});

async function counts() {
  const db = await prisma();
  return {
    agents: await db.agent.count(),
    history: await db.agentStatusChange.count(),
    audit: await db.auditEvent.count(),
  };
}

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e) => e,
  );
}

const valid = () => ({
  tenant: a.slug,
  name: unique("agent"),
  owner: member.id,
  environment: "production" as const,
});

describe("createAgent", () => {
  it("registers a pending agent with its owners, history and an audit event", async () => {
    const input = {
      ...valid(),
      owner: member.email.toUpperCase(),
      backup_owner: colleague.id,
      description: "  Files expense reports  ",
      attributes: { team: "finance", cost_center: 42, pii: true },
    };
    const agent = await createAgent(owner, input);
    expect(agent).toMatchObject({
      tenantId: a.id,
      name: input.name,
      description: "Files expense reports",
      ownerId: member.id,
      backupOwnerId: colleague.id,
      environment: "PRODUCTION",
      status: "PENDING",
      attributes: input.attributes,
      createdById: owner.id,
      createdByLabel: owner.email,
      activatedAt: null,
      reviewDueAt: null,
    });
    const db = await prisma();
    expect(await db.agentStatusChange.findMany({ where: { agentId: agent.id } })).toMatchObject([
      { fromStatus: null, toStatus: "PENDING", actorId: owner.id, reason: "Registered" },
    ]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "agent.create", targetId: agent.id } });
    expect(audit).toMatchObject({ actorId: owner.id, tenantId: a.id, outcome: "success" });
    expect(audit.data).toEqual({
      after: {
        name: input.name,
        owner: member.email,
        backup_owner: colleague.email,
        environment: "production",
        attributes: input.attributes,
        may_delegate_to: null,
        dpop_required: false,
      },
    });
  });

  it("accepts the tenant by id and a global role holder as owner", async () => {
    const agent = await createAgent(owner, { ...valid(), tenant: a.id, owner: admin.email });
    expect(agent).toMatchObject({ tenantId: a.id, ownerId: admin.id });
  });

  const refusals: [
    string,
    (v: ReturnType<typeof valid>) => Record<string, unknown>,
    string,
    typeof ValidationError | typeof ConflictError,
  ][] = [
    ["an empty name", (v) => ({ ...v, name: "" }), "name", ValidationError],
    ["a one-letter name", (v) => ({ ...v, name: "x" }), "name", ValidationError],
    ["a name with markup", (v) => ({ ...v, name: "<script>alert(1)</script>" }), "name", ValidationError],
    ["a name that is too long", (v) => ({ ...v, name: "a".repeat(81) }), "name", ValidationError],
    ["a missing owner", (v) => ({ ...v, owner: undefined }), "owner", ValidationError],
    ["a blank owner", (v) => ({ ...v, owner: "   " }), "owner", ValidationError],
    ["an unknown owner", (v) => ({ ...v, owner: `${unique("nobody")}@example.com` }), "owner", ValidationError],
    ["an owner from another tenant", (v) => ({ ...v, owner: outsider.id }), "owner", ValidationError],
    [
      "a backup owner from another tenant",
      (v) => ({ ...v, backup_owner: outsider.email }),
      "backup_owner",
      ValidationError,
    ],
    ["the owner as backup owner", (v) => ({ ...v, backup_owner: v.owner }), "backup_owner", ValidationError],
    [
      "the owner as backup owner by email",
      (v) => ({ ...v, backup_owner: member.email }),
      "backup_owner",
      ConflictError,
    ],
    ["an unknown tenant", (v) => ({ ...v, tenant: "no-such-tenant" }), "tenant", ValidationError],
    [
      "an unknown tenant id",
      (v) => ({ ...v, tenant: "00000000-0000-4000-8000-000000000000" }),
      "tenant",
      ValidationError,
    ],
    ["a missing tenant", (v) => ({ ...v, tenant: undefined }), "tenant", ValidationError],
    ["an unknown environment", (v) => ({ ...v, environment: "moon" }), "environment", ValidationError],
    ["attributes that are not key/value pairs", (v) => ({ ...v, attributes: ["a"] }), "attributes", ValidationError],
  ];

  it.each(refusals)("refuses %s, naming the field, and creates nothing", async (_what, change, field, kind) => {
    const before = await counts();
    const error = await errorOf(createAgent(owner, change(valid()) as never));
    expect(error).toBeInstanceOf(kind);
    expect(Object.keys(error.details ?? {})).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it("refuses an owner who has been deactivated", async () => {
    const leaver = await makeCaller({ tenants: { [a.id]: "member" } });
    await deactivateUser(admin, leaver.id, { reason: "Left the company" });
    const before = await counts();
    const error = await errorOf(createAgent(owner, { ...valid(), owner: leaver.id }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details)).toEqual(["owner"]);
    expect(await counts()).toEqual(before);
  });

  it("refuses a duplicate name in the tenant with a 409 naming name, but allows it in another tenant", async () => {
    const first = await createAgent(owner, valid());
    const before = await counts();
    const error = await errorOf(createAgent(owner, { ...valid(), name: first.name }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(Object.keys(error.details)).toEqual(["name"]);
    expect(await counts()).toEqual(before);
    const elsewhere = await createAgent(admin, { ...valid(), tenant: b.slug, owner: outsider.id, name: first.name });
    expect(elsewhere.tenantId).toBe(b.id);
  });
});

describe("updateAgent", () => {
  it("records exactly the changed fields, before and after, in the audit event", async () => {
    const agent = await makeAgent(owner, a.id, { owner: member.id, attributes: { team: "ops" } });
    const newName = unique("renamed");
    const updated = await updateAgent(owner, agent.id, {
      name: newName,
      description: agent.description, // unchanged: not recorded
      environment: "staging",
      attributes: { team: "finance" },
      owner: colleague.id,
      backup_owner: member.email,
    });
    expect(updated).toMatchObject({
      name: newName,
      environment: "STAGING",
      attributes: { team: "finance" },
      ownerId: colleague.id,
      backupOwnerId: member.id,
    });
    const audit = await (await prisma()).auditEvent.findFirstOrThrow({
      where: { action: "agent.update", targetId: agent.id },
    });
    expect(audit).toMatchObject({ actorId: owner.id, tenantId: a.id });
    expect(audit.data).toEqual({
      before: {
        name: agent.name,
        environment: "development",
        attributes: { team: "ops" },
        owner_id: member.id,
        backup_owner_id: null,
      },
      after: {
        name: newName,
        environment: "staging",
        attributes: { team: "finance" },
        owner_id: colleague.id,
        backup_owner_id: member.id,
      },
    });

    const cleared = await updateAgent(owner, agent.id, { backup_owner: null });
    expect(cleared.backupOwnerId).toBeNull();
  });

  it("writes no audit event when nothing actually changes", async () => {
    const agent = await makeAgent(owner, a.id);
    const before = await counts();
    await updateAgent(owner, agent.id, { name: agent.name, environment: "development" });
    expect(await counts()).toEqual(before);
    const empty = await errorOf(updateAgent(owner, agent.id, {}));
    expect(empty).toBeInstanceOf(ValidationError);
  });

  it("refuses a clashing name, a foreign owner, backup = owner and a retired agent, changing nothing", async () => {
    const taken = await makeAgent(owner, a.id);
    const agent = await makeAgent(owner, a.id, { owner: member.id });
    const row = async () => (await prisma()).agent.findUniqueOrThrow({ where: { id: agent.id } });
    const snapshot = { row: await row(), counts: await counts() };
    const cases: [Record<string, unknown>, string, typeof ValidationError | typeof ConflictError][] = [
      [{ name: taken.name }, "name", ConflictError],
      [{ name: "!" }, "name", ValidationError],
      [{ owner: outsider.id }, "owner", ValidationError],
      [{ backup_owner: member.id }, "backup_owner", ConflictError],
      [{ owner: colleague.id, backup_owner: colleague.email }, "backup_owner", ConflictError],
    ];
    for (const [input, field, kind] of cases) {
      const error = await errorOf(updateAgent(owner, agent.id, input));
      expect(error, JSON.stringify(input)).toBeInstanceOf(kind);
      expect(Object.keys(error.details)).toEqual([field]);
    }
    expect({ row: await row(), counts: await counts() }).toEqual(snapshot);

    const retired = await makeAgent(owner, a.id, { status: "retired" });
    await expect(updateAgent(owner, retired.id, { description: "Too late" })).rejects.toBeInstanceOf(ConflictError);
    await expect(updateAgent(owner, "garbage", { description: "Nope" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
