import "server-only";
import { tenantWhere } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";

export interface TenantSummary {
  id: string;
  slug: string;
  name: string;
}

/** The tenants the caller may see, by name: what the tenant switcher lists. */
export async function listVisibleTenants(caller: Caller): Promise<TenantSummary[]> {
  const db = await prisma();
  const scope = tenantWhere(caller, "tenant.read");
  return db.tenant.findMany({
    where: scope.tenantId ? { id: scope.tenantId } : {},
    select: { id: true, slug: true, name: true },
    orderBy: { name: "asc" },
  });
}
