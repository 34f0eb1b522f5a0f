import "server-only";
import type { Role } from "@/lib/permissions";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { tenantRoleFromDb } from "../auth/caller";
import { prisma } from "../db";

export interface TenantMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  lastSignInAt: Date | null;
}

const PAGE_SIZE_MAX = 100;

/** A page of a tenant's members, by name. */
export async function listTenantMembers(
  caller: Caller,
  tenantId: string,
  { page = 1, pageSize = 50 }: { page?: number; pageSize?: number } = {},
): Promise<{ rows: TenantMember[]; total: number }> {
  assertCan(caller, "members.read", tenantId);
  const db = await prisma();
  const take = Math.min(Math.max(1, pageSize), PAGE_SIZE_MAX);
  const [rows, total] = await Promise.all([
    db.membership.findMany({
      where: { tenantId },
      include: { user: true },
      orderBy: [{ user: { name: "asc" } }, { id: "asc" }],
      skip: (Math.max(1, page) - 1) * take,
      take,
    }),
    db.membership.count({ where: { tenantId } }),
  ]);
  return {
    total,
    rows: rows.map((m) => ({
      userId: m.userId,
      name: m.user.name,
      email: m.user.email,
      role: tenantRoleFromDb(m.role),
      active: !m.user.deactivatedAt,
      lastSignInAt: m.user.lastSignInAt,
    })),
  };
}
