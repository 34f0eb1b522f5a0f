import { describe, expect, it } from "vitest";
import { NAV_ITEMS } from "./navigation";
import { can, canGlobally, PERMISSIONS, primaryRole, ROLE_PERMISSIONS, type RoleGrants, rolesIn } from "./permissions";

const A = "tenant-a";
const B = "tenant-b";
const grants = (g: Partial<RoleGrants>): RoleGrants => ({ global: null, tenants: {}, ...g });

describe("role → permission map", () => {
  it("gives the security admin every permission", () => {
    expect([...ROLE_PERMISSIONS.security_admin].sort()).toEqual([...PERMISSIONS].sort());
  });

  it("keeps the auditor read-only: nothing that writes, revokes, decides or manages", () => {
    const writes = [...ROLE_PERMISSIONS.auditor].filter((p) => /write|revoke|decide|manage/.test(p));
    expect(writes).toEqual([]);
    expect(ROLE_PERMISSIONS.auditor.has("audit.export")).toBe(true);
  });

  it("lets a member see and revoke only their own grants, and consent for themselves", () => {
    expect([...ROLE_PERMISSIONS.member].sort()).toEqual([
      "grants.consent",
      "grants.read_own",
      "grants.revoke_own",
      "tenant.read",
    ]);
  });

  it("lets a tenant owner manage agents and grants but not write policies or export audit", () => {
    const owner = ROLE_PERMISSIONS.tenant_owner;
    expect(owner.has("agents.write")).toBe(true);
    expect(owner.has("grants.revoke")).toBe(true);
    expect(owner.has("policies.write")).toBe(false);
    expect(owner.has("audit.export")).toBe(false);
    expect(owner.has("tenants.manage")).toBe(false);
  });
});

describe("can", () => {
  it("confines a tenant role to its tenant", () => {
    const owner = grants({ tenants: { [A]: "tenant_owner" } });
    expect(can(owner, "agents.write", A)).toBe(true);
    expect(can(owner, "agents.write", B)).toBe(false);
    expect(can(owner, "tenant.read", B)).toBe(false);
  });

  it("applies a global role in every tenant", () => {
    const admin = grants({ global: "security_admin" });
    expect(can(admin, "policies.write", A)).toBe(true);
    expect(can(admin, "policies.write", "any-other")).toBe(true);
    const auditor = grants({ global: "auditor" });
    expect(can(auditor, "audit.read", B)).toBe(true);
    expect(can(auditor, "agents.write", B)).toBe(false);
  });

  it("lets a person consent in the tenants they belong to, a security admin everywhere, a global auditor nowhere else", () => {
    for (const role of ["tenant_owner", "auditor", "member"] as const) {
      const g = grants({ tenants: { [A]: role } });
      expect(can(g, "grants.consent", A)).toBe(true);
      expect(can(g, "grants.consent", B)).toBe(false);
    }
    expect(can(grants({ global: "security_admin" }), "grants.consent", B)).toBe(true);
    const auditor = grants({ global: "auditor", tenants: { [A]: "member" } });
    expect(can(auditor, "grants.consent", A)).toBe(true);
    expect(can(auditor, "grants.consent", B)).toBe(false);
    expect(canGlobally(auditor, "grants.consent")).toBe(false);
  });

  it("takes the union of a global and a tenant role", () => {
    const g = grants({ global: "auditor", tenants: { [A]: "tenant_owner" } });
    expect(can(g, "agents.write", A)).toBe(true);
    expect(can(g, "agents.write", B)).toBe(false);
    expect(can(g, "audit.export", A)).toBe(true);
    expect(rolesIn(g, A)).toEqual(["auditor", "tenant_owner"]);
  });

  it("denies everything to someone with no role", () => {
    for (const p of PERMISSIONS) expect(can(grants({}), p, A)).toBe(false);
  });

  it("grants installation-wide permissions only through a global role", () => {
    expect(canGlobally(grants({ tenants: { [A]: "tenant_owner" } }), "tenants.manage")).toBe(false);
    expect(canGlobally(grants({ global: "security_admin" }), "tenants.manage")).toBe(true);
    expect(canGlobally(grants({ global: "auditor" }), "users.manage")).toBe(false);
    // Everyone in the installation is readable by global roles only; a tenant's auditor reads its members.
    expect(canGlobally(grants({ global: "auditor" }), "users.read")).toBe(true);
    expect(canGlobally(grants({ tenants: { [A]: "auditor" } }), "users.read")).toBe(false);
    expect(canGlobally(grants({ tenants: { [A]: "tenant_owner" } }), "users.read")).toBe(false);
  });

  it("shows the strongest applicable role", () => {
    expect(primaryRole(grants({ global: "auditor", tenants: { [A]: "tenant_owner" } }), A)).toBe("tenant_owner");
    expect(primaryRole(grants({ global: "security_admin", tenants: { [A]: "member" } }), A)).toBe("security_admin");
    expect(primaryRole(grants({}), A)).toBeNull();
  });
});

describe("navigation", () => {
  const visible = (g: RoleGrants) => NAV_ITEMS.filter((i) => can(g, i.permission, A)).map((i) => i.label);

  it("shows each role the sections it can open", () => {
    expect(visible(grants({ global: "security_admin" }))).toEqual([
      "Overview",
      "Agents",
      "Grants",
      "People",
      "Policies",
      "Approvals",
      "Audit",
      "Tenants",
      "Settings",
    ]);
    expect(visible(grants({ tenants: { [A]: "tenant_owner" } }))).toEqual([
      "Overview",
      "Agents",
      "Grants",
      "People",
      "Policies",
      "Approvals",
      "Audit",
      "Settings",
    ]);
    expect(visible(grants({ tenants: { [A]: "auditor" } }))).toEqual([
      "Overview",
      "Agents",
      "Grants",
      "People",
      "Policies",
      "Approvals",
      "Audit",
    ]);
    expect(visible(grants({ tenants: { [A]: "member" } }))).toEqual(["Overview", "Grants"]);
    expect(visible(grants({ tenants: { [B]: "tenant_owner" } }))).toEqual([]);
  });
});
