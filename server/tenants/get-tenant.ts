import "server-only";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { tenantSlugSchema } from "@/lib/schemas/tenants";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import type { TenantSummary } from "./list-tenants";

/**
 * A tenant by its slug, if the caller may see it. An unknown slug, a malformed one and another
 * tenant's all give the same NotFound, so the console never tells which tenants exist.
 */
export async function getTenantBySlug(caller: Caller, slug: string): Promise<TenantSummary> {
  if (!tenantSlugSchema.safeParse(slug).success) throw new NotFoundError("tenant");
  const db = await prisma();
  const tenant = await db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!tenant || !can(caller.roles, "tenant.read", tenant.id)) throw new NotFoundError("tenant");
  return tenant;
}
