import "server-only";
import { type MemberRole, memberListSchema } from "@/lib/schemas/users";
import { parseInput } from "@/lib/validation";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { MEMBER_ROLE_FROM_DB, MEMBER_ROLE_TO_DB } from "../users/invitations";

export interface TenantMember {
  userId: string;
  name: string;
  email: string;
  role: MemberRole;
  active: boolean;
  lastSignInAt: Date | null;
}

/** A page of a tenant's members, by name, with a search on name or email and a role filter. */
export async function listTenantMembers(
  caller: Caller,
  tenantId: string,
  input: unknown = {},
): Promise<{ rows: TenantMember[]; total: number; page: number; pageSize: number }> {
  assertCan(caller, "members.read", tenantId);
  const query = parseInput(memberListSchema, input ?? {});
  const db = await prisma();
  const like = query.q ? { contains: query.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const } : null;
  const where: Prisma.MembershipWhereInput = {
    tenantId,
    ...(query.role ? { role: MEMBER_ROLE_TO_DB[query.role] } : {}),
    ...(like ? { user: { OR: [{ name: like }, { email: like }] } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.membership.findMany({
      where,
      include: { user: true },
      orderBy: [{ user: { name: "asc" } }, { id: "asc" }],
      skip: (query.page - 1) * query.page_size,
      take: query.page_size,
    }),
    db.membership.count({ where }),
  ]);
  return {
    total,
    page: query.page,
    pageSize: query.page_size,
    rows: rows.map((m) => ({
      userId: m.userId,
      name: m.user.name,
      email: m.user.email,
      role: MEMBER_ROLE_FROM_DB[m.role],
      active: !m.user.deactivatedAt,
      lastSignInAt: m.user.lastSignInAt,
    })),
  };
}
