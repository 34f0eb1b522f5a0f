import { beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeCaller, makeTenant } from "@/tests/factories";
import { assertCan, tenantWhere } from "../auth/authorize";
import type { Caller, UserCaller } from "../auth/caller";
import { getTenantBySlug } from "./get-tenant";
import { listTenantMembers } from "./list-members";
import { listVisibleTenants } from "./list-tenants";
import { getTenantOverview } from "./tenant-overview";

// Two tenants and one caller per role; every domain function of this issue is probed across them.
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let admin: Caller;
let globalAuditor: Caller;
let ownerA: Caller;
let auditorA: Caller;
let memberA: UserCaller;
let outsider: Caller;

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
  globalAuditor = await makeCaller({ global: "auditor" });
  ownerA = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
  auditorA = await makeCaller({ tenants: { [a.id]: "auditor" } });
  memberA = await makeCaller({ tenants: { [a.id]: "member" } });
  outsider = await makeCaller();
});

const slugs = async (c: Caller) => (await listVisibleTenants(c)).map((t) => t.slug);

describe("tenant isolation in the domain layer", () => {
  it("lists every tenant to global roles and only their own to everyone else", async () => {
    for (const c of [admin, globalAuditor]) expect(await slugs(c)).toEqual(expect.arrayContaining([a.slug, b.slug]));
    for (const c of [ownerA, auditorA, memberA]) expect(await slugs(c)).toEqual([a.slug]);
    expect(await slugs(outsider)).toEqual([]);
  });

  it("hides another tenant, an unknown one and a malformed one behind the same NotFound", async () => {
    for (const slug of [b.slug, "no-such-tenant", "../../etc", "UPPER"]) {
      await expect(getTenantBySlug(ownerA, slug)).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(getTenantBySlug(outsider, a.slug)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getTenantBySlug(ownerA, a.slug)).resolves.toMatchObject({ id: a.id });
    await expect(getTenantBySlug(admin, b.slug)).resolves.toMatchObject({ id: b.id });
  });

  it("keeps members lists inside the tenant and away from members", async () => {
    await expect(listTenantMembers(ownerA, b.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listTenantMembers(memberA, a.id)).rejects.toBeInstanceOf(ForbiddenError);
    const seen = await listTenantMembers(auditorA, a.id);
    expect(seen.rows.map((r) => r.userId).sort()).toEqual([ownerA.id, auditorA.id, memberA.id].sort());
    expect(seen.total).toBe(3);
    expect((await listTenantMembers(admin, b.id)).total).toBe(0);
  });

  it("pages members without overlap and refuses a page size beyond 100", async () => {
    const p1 = await listTenantMembers(admin, a.id, { page: 1, page_size: 10 });
    expect(p1.rows).toHaveLength(3);
    const p2 = await listTenantMembers(admin, a.id, { page: 2, page_size: 10 });
    expect(p2.rows).toHaveLength(0);
    expect(p2.total).toBe(3);
    await expect(listTenantMembers(admin, a.id, { page_size: 10_000 })).rejects.toBeInstanceOf(ValidationError);
  });

  it("filters members by role and finds them by name or email", async () => {
    const owners = await listTenantMembers(admin, a.id, { role: "owner" });
    expect(owners.rows.map((r) => r.userId)).toEqual([ownerA.id]);
    expect(owners.rows[0].role).toBe("owner");
    const byEmail = await listTenantMembers(admin, a.id, { q: memberA.email.slice(0, 12).toUpperCase() });
    expect(byEmail.rows.map((r) => r.userId)).toEqual([memberA.id]);
    // LIKE's wildcards match themselves: "%" finds nobody here.
    expect((await listTenantMembers(admin, a.id, { q: "%" })).total).toBe(0);
  });

  it("counts a tenant's people by role only for those who can read it", async () => {
    const overview = await getTenantOverview(memberA, a.id);
    expect(overview).toEqual({
      yourRole: "member",
      memberCount: 3,
      membersByRole: { tenant_owner: 1, auditor: 1, member: 1 },
    });
    await expect(getTenantOverview(ownerA, b.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("tells a caller who can read a tenant that the action is forbidden, and anyone else that it is not found", () => {
    expect(() => assertCan(memberA, "agents.read", a.id)).toThrow(ForbiddenError);
    expect(() => assertCan(memberA, "agents.read", b.id)).toThrow(NotFoundError);
    expect(() => assertCan(auditorA, "agents.write", a.id)).toThrow(ForbiddenError);
    expect(() => assertCan(ownerA, "agents.write", a.id)).not.toThrow();
  });

  it("builds the tenant filter that domain queries spread into their where", () => {
    expect(tenantWhere(admin, "agents.read")).toEqual({});
    expect(tenantWhere(ownerA, "agents.write")).toEqual({ tenantId: { in: [a.id] } });
    expect(tenantWhere(memberA, "agents.read")).toEqual({ tenantId: { in: [] } });
    expect(tenantWhere(globalAuditor, "agents.write")).toEqual({ tenantId: { in: [] } });
  });
});
