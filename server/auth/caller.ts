import "server-only";
import type { Role, RoleGrants } from "@/lib/permissions";
import type { Db } from "../db";
import type { GlobalRole, TenantRole } from "../db/generated/client";

/**
 * Who is asking. Every domain function takes the caller explicitly and derives the tenants it may
 * touch from it, never from the request: a console user, or an automation client calling the
 * admin API with a token of its own. Both hold roles of the one permission map.
 */
export interface UserCaller {
  type: "user";
  id: string;
  email: string;
  name: string;
  roles: RoleGrants;
}
export interface ClientCaller {
  type: "client";
  /** The automation client's row id. */
  id: string;
  clientId: string;
  name: string;
  roles: RoleGrants;
}
export type Caller = UserCaller | ClientCaller;

const GLOBAL_ROLE: Record<GlobalRole, Role> = { SECURITY_ADMIN: "security_admin", AUDITOR: "auditor" };
const TENANT_ROLE: Record<TenantRole, Role> = { OWNER: "tenant_owner", AUDITOR: "auditor", MEMBER: "member" };
export const TENANT_ROLE_TO_DB: Record<Exclude<Role, "security_admin">, TenantRole> = {
  tenant_owner: "OWNER",
  auditor: "AUDITOR",
  member: "MEMBER",
};
export const GLOBAL_ROLE_TO_DB: Record<"security_admin" | "auditor", GlobalRole> = {
  security_admin: "SECURITY_ADMIN",
  auditor: "AUDITOR",
};

export function tenantRoleFromDb(role: TenantRole): Role {
  return TENANT_ROLE[role];
}

/** Loads a user as a caller; null when unknown or deactivated, so a live session stops at once. */
export async function loadUserCaller(db: Db, userId: string): Promise<UserCaller | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { tenantId: true, role: true } } },
  });
  if (!user || user.deactivatedAt) return null;
  return {
    type: "user",
    id: user.id,
    email: user.email,
    name: user.name,
    roles: {
      global: user.globalRole ? GLOBAL_ROLE[user.globalRole] : null,
      tenants: Object.fromEntries(user.memberships.map((m) => [m.tenantId, TENANT_ROLE[m.role]])),
    },
  };
}

/** An automation client as a caller: one role, held globally or in one tenant. */
export function automationCaller(client: {
  id: string;
  clientId: string;
  name: string;
  globalRole: GlobalRole | null;
  tenantId: string | null;
  tenantRole: TenantRole | null;
}): ClientCaller {
  return {
    type: "client",
    id: client.id,
    clientId: client.clientId,
    name: client.name,
    roles: {
      global: client.globalRole ? GLOBAL_ROLE[client.globalRole] : null,
      tenants: client.tenantId && client.tenantRole ? { [client.tenantId]: TENANT_ROLE[client.tenantRole] } : {},
    },
  };
}
