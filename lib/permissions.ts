// The one role → permission map. The console, the admin API and the tests all read it.

export const ROLES = ["security_admin", "tenant_owner", "auditor", "member"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  security_admin: "Security admin",
  tenant_owner: "Tenant owner",
  auditor: "Auditor",
  member: "Member",
};

export const PERMISSIONS = [
  "tenant.read",
  "members.read",
  "members.manage",
  "agents.read",
  "agents.write",
  // The kill switch: every credential, token and grant of an agent at once (and its owners').
  "agents.kill",
  "catalog.write",
  "grants.read",
  "grants.read_own",
  "grants.revoke",
  "grants.revoke_own",
  // Letting an agent act for oneself (OAuth consent) in the tenant.
  "grants.consent",
  // Approving or blocking an MCP client that connected itself (metadata document, registration).
  "clients.approve",
  "policies.read",
  "policies.write",
  "approvals.read",
  "approvals.decide",
  "audit.read",
  "audit.export",
  "settings.read",
  "settings.write",
  // Installation-wide: only meaningful for a role held across every tenant.
  "tenants.manage",
  "users.read",
  "users.manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = [
  "tenant.read",
  "members.read",
  "agents.read",
  "grants.read",
  "grants.read_own",
  "policies.read",
  "approvals.read",
  "audit.read",
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  security_admin: new Set<Permission>(PERMISSIONS),
  tenant_owner: new Set<Permission>([
    ...READ_ALL,
    "members.manage",
    "agents.write",
    "catalog.write",
    "grants.revoke",
    "grants.revoke_own",
    "grants.consent",
    "clients.approve",
    "approvals.decide",
    "settings.read",
    "settings.write",
  ]),
  // users.read counts only for a role held across every tenant (canGlobally): a tenant's auditor
  // reads its members through members.read.
  auditor: new Set<Permission>([...READ_ALL, "audit.export", "users.read", "grants.consent"]),
  member: new Set<Permission>(["tenant.read", "grants.read_own", "grants.revoke_own", "grants.consent"]),
};

/**
 * What a role gives when it is held across every tenant: the same as in one tenant, except that an
 * installation-wide auditor reads every tenant without belonging to any, so lets agents act for
 * them only where a membership of their own says so.
 */
const GLOBAL_ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  ...ROLE_PERMISSIONS,
  auditor: new Set([...ROLE_PERMISSIONS.auditor].filter((p) => p !== "grants.consent")),
};

/** What a caller holds: a role across every tenant, and roles in single tenants. */
export interface RoleGrants {
  global: Role | null;
  tenants: Readonly<Record<string, Role>>;
}

/** The roles that apply to the caller in one tenant (global role first). */
export function rolesIn(grants: RoleGrants, tenantId: string): Role[] {
  const roles: Role[] = [];
  if (grants.global) roles.push(grants.global);
  const local = grants.tenants[tenantId];
  if (local && local !== grants.global) roles.push(local);
  return roles;
}

export function can(grants: RoleGrants, permission: Permission, tenantId: string): boolean {
  const local = grants.tenants[tenantId];
  return canGlobally(grants, permission) || (!!local && ROLE_PERMISSIONS[local].has(permission));
}

/** Installation-wide permissions come only from a global role. */
export function canGlobally(grants: RoleGrants, permission: Permission): boolean {
  return grants.global !== null && GLOBAL_ROLE_PERMISSIONS[grants.global].has(permission);
}

/** The role shown for the caller in a tenant: the strongest that applies. */
export function primaryRole(grants: RoleGrants, tenantId: string): Role | null {
  const roles = rolesIn(grants, tenantId);
  return ROLES.find((r) => roles.includes(r)) ?? null;
}
