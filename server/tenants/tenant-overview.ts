import "server-only";
import { primaryRole, type Role } from "@/lib/permissions";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { tenantRoleFromDb } from "../auth/caller";
import { prisma } from "../db";

export interface TenantOverview {
  yourRole: Role | null;
  membersByRole: Partial<Record<Role, number>>;
  memberCount: number;
}

export async function getTenantOverview(caller: Caller, tenantId: string): Promise<TenantOverview> {
  assertCan(caller, "tenant.read", tenantId);
  const db = await prisma();
  const groups = await db.membership.groupBy({ by: ["role"], where: { tenantId }, _count: { _all: true } });
  const membersByRole: Partial<Record<Role, number>> = {};
  let memberCount = 0;
  for (const g of groups) {
    membersByRole[tenantRoleFromDb(g.role)] = g._count._all;
    memberCount += g._count._all;
  }
  return { yourRole: primaryRole(caller.roles, tenantId), membersByRole, memberCount };
}
