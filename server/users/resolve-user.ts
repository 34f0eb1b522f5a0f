import "server-only";
import { ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import type { Db } from "../db";

/**
 * A user who may be accountable for an agent in a tenant: active, and a member of that tenant or
 * holding a role across every tenant. Looked up by id or email; a miss names the field.
 */
export async function resolveAccountableUser(db: Db, ref: string, tenantId: string, field: string) {
  const where = isUuid(ref) ? { id: ref } : { email: String(ref).trim().toLowerCase() };
  const user = await db.user.findUnique({ where, include: { memberships: { where: { tenantId } } } });
  if (!user || user.deactivatedAt || (!user.globalRole && user.memberships.length === 0)) {
    throw new ValidationError({ [field]: ["Choose an active person who belongs to this tenant."] });
  }
  return user;
}
