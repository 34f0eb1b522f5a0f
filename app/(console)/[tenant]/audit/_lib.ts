import { canGlobally } from "@/lib/permissions";
import { auditFilterSchema } from "@/lib/schemas/audit";
import { withoutInvalid } from "@/lib/validation";
import type { Caller } from "@/server/auth/caller";

/**
 * The audit page's filters from its URL: the tenant is the page's, unless an installation-wide
 * reader asks for everything (scope=all: every tenant, and installation events such as sign-ins).
 */
export function auditFiltersFromUrl(
  caller: Caller,
  tenantId: string,
  search: Record<string, string | string[] | undefined>,
): Record<string, unknown> {
  const raw = Object.fromEntries(Object.entries(search).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const everything = raw.scope === "all" && canGlobally(caller.roles, "audit.read");
  const { scope: _scope, ...rest } = raw;
  // The page's "Until" is a day, included: the range ends at the next midnight (UTC).
  if (typeof rest.to === "string" && /^\d{4}-\d{2}-\d{2}$/.test(rest.to)) {
    rest.to = new Date(Date.parse(`${rest.to}T00:00:00Z`) + 86_400_000).toISOString();
  }
  return { ...withoutInvalid(auditFilterSchema, rest), ...(everything ? {} : { tenant: tenantId }) };
}
