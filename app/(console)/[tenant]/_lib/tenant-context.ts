import "server-only";
import { forbidden, notFound } from "next/navigation";
import { cache } from "react";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { Permission } from "@/lib/permissions";
import { assertCan } from "@/server/auth/authorize";
import { requireCaller } from "@/server/auth/session";
import { getTenantBySlug } from "@/server/tenants/get-tenant";

/** Maps the domain's refusals to Next's 404 and 403 pages. */
export async function orRefuse<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    if (error instanceof ForbiddenError) forbidden();
    throw error;
  }
}

/** The caller and the tenant named in the URL, once per request. */
export const tenantContext = cache(async (slug: string) => {
  const caller = await requireCaller();
  const tenant = await orRefuse(() => getTenantBySlug(caller, decodeURIComponent(slug)));
  return { caller, tenant };
});

/** For a page: the context, after checking the permission that opens the page. */
export async function tenantPage(params: Promise<{ tenant: string }>, permission: Permission) {
  const ctx = await tenantContext((await params).tenant);
  await orRefuse(() => assertCan(ctx.caller, permission, ctx.tenant.id));
  return ctx;
}
