import "server-only";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { can, canGlobally, type Permission } from "@/lib/permissions";
import { isUuid } from "@/lib/validation";
import type { Caller } from "./caller";

/**
 * The Prisma filter on tenant_id for the tenants where the caller holds a permission: nothing for
 * a role held everywhere, the matching memberships otherwise. Domain queries spread it into their
 * `where`, so no caller of theirs has to remember it.
 */
export function tenantWhere(caller: Caller, permission: Permission): { tenantId?: { in: string[] } } {
  return inReach(reach(caller, permission));
}

/** The Prisma filter on tenant_id for a reach: nothing for every tenant, else these tenants. */
export function inReach(tenants: Reach): { tenantId?: { in: string[] } } {
  return tenants === "all" ? {} : { tenantId: { in: tenants } };
}

/**
 * Refuses unless the caller holds the permission in the tenant. Callers who cannot even read the
 * tenant get NotFound, so tenant ids cannot be probed; those who can read it get Forbidden.
 */
export function assertCan(caller: Caller, permission: Permission, tenantId: string): void {
  // Tenant ids are UUIDs: anything else names no tenant, even for a role held everywhere.
  if (!isUuid(tenantId)) throw new NotFoundError("tenant");
  if (can(caller.roles, permission, tenantId)) return;
  if (can(caller.roles, "tenant.read", tenantId)) throw new ForbiddenError();
  throw new NotFoundError("tenant");
}

export function assertCanGlobally(caller: Caller, permission: Permission): void {
  if (!canGlobally(caller.roles, permission)) throw new ForbiddenError();
}

/** Where a caller holds a permission: every tenant, or these tenants' ids. */
export type Reach = "all" | string[];

/**
 * The tenants where the caller holds `permission`: "all" for a role held everywhere (or for
 * `globalPermission`, when the installation-wide reading has a permission of its own), else the
 * ids of the tenants where a tenant role gives it.
 */
export function reach(caller: Caller, permission: Permission, globalPermission: Permission = permission): Reach {
  if (canGlobally(caller.roles, globalPermission)) return "all";
  return Object.keys(caller.roles.tenants).filter((id) => can(caller.roles, permission, id));
}
