import { z } from "zod";
import { listQuerySchema, type OffsetPage } from "@/lib/schemas/pagination";

// The policy list's URL state. listPolicies returns every policy the tenant sees (a few dozen at
// most), so the filters, sort and page are applied to that list here.

export const policyListSchema = listQuerySchema(["name", "updated_at", "version"], "name").extend({
  scope: z.enum(["global", "tenant"]).optional().catch(undefined),
  effect: z.enum(["permit", "forbid"]).optional().catch(undefined),
  status: z.enum(["enabled", "disabled"]).optional().catch(undefined),
});
export type PolicyListQuery = z.output<typeof policyListSchema>;

export interface ListedPolicy {
  tenantId: string | null;
  name: string;
  description: string;
  text: string;
  effect: string;
  enabled: boolean;
  version: number;
  updatedAt: Date;
}

export function pagePolicies<T extends ListedPolicy>(rows: readonly T[], query: PolicyListQuery): OffsetPage<T> {
  const q = query.q?.toLowerCase();
  const kept = rows.filter(
    (p) =>
      (!query.scope || (query.scope === "global") === (p.tenantId === null)) &&
      (!query.effect || p.effect === query.effect) &&
      (!query.status || (query.status === "enabled") === p.enabled) &&
      (!q || [p.name, p.description, p.text].some((s) => s.toLowerCase().includes(q))),
  );
  const sign = query.dir === "asc" ? 1 : -1;
  const by: Record<PolicyListQuery["sort"], (a: T, b: T) => number> = {
    name: (a, b) => a.name.localeCompare(b.name, "en"),
    updated_at: (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime(),
    version: (a, b) => a.version - b.version,
  };
  kept.sort((a, b) => sign * by[query.sort](a, b) || a.name.localeCompare(b.name, "en"));
  const start = (query.page - 1) * query.page_size;
  return {
    rows: kept.slice(start, start + query.page_size),
    total: kept.length,
    page: query.page,
    pageSize: query.page_size,
    sort: query.sort,
    dir: query.dir,
  };
}
