import "server-only";
import type { Role, RoleGrants } from "@/lib/permissions";
import { isUuid } from "@/lib/validation";
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

type UserWithMemberships = {
  id: string;
  email: string;
  name: string;
  globalRole: GlobalRole | null;
  deactivatedAt: Date | null;
  memberships: { tenantId: string; role: TenantRole }[];
};

/** Loads a user as a caller; null when unknown or deactivated, so a live session stops at once. */
export async function loadUserCaller(db: Db, userId: string): Promise<UserCaller | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    include: { memberships: { select: { tenantId: true, role: true } } },
  });
  return user ? asCaller(user) : null;
}

/** How often a session's last use is written: often enough for its idle timeout, rarely enough to cost nothing. */
const TOUCH_EVERY_MS = 5 * 60_000;

/**
 * The console caller behind a session cookie: the session must be live on the server (not ended by
 * sign-out, deactivation or a security admin, not idle past its lifetime) and belong to the user
 * the cookie names. One statement reads the session, the user and their memberships.
 */
export async function loadSessionCaller(
  db: Db,
  userId: string,
  sessionId: string,
  maxAgeMinutes: number,
): Promise<UserCaller | null> {
  if (!isUuid(sessionId)) return null;
  const session = await db.consoleSession.findUnique({
    where: { id: sessionId },
    include: { user: { include: { memberships: { select: { tenantId: true, role: true } } } } },
  });
  const now = Date.now();
  if (!session || session.userId !== userId || session.endedAt) return null;
  if (session.lastSeenAt.getTime() <= now - maxAgeMinutes * 60_000) return null;
  if (session.lastSeenAt.getTime() < now - TOUCH_EVERY_MS) {
    await db.consoleSession.updateMany({
      where: { id: sessionId, endedAt: null },
      data: { lastSeenAt: new Date(now) },
    });
  }
  return asCaller(session.user);
}

function asCaller(user: UserWithMemberships): UserCaller | null {
  if (user.deactivatedAt) return null;
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
