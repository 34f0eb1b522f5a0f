"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { createTenantAs, updateTenant } from "@/server/tenants/manage-tenants";

export async function createTenantAction(input: Record<string, unknown>): Promise<ActionResult<{ slug: string }>> {
  return runAction(async (caller) => ({ slug: (await createTenantAs(caller, input)).slug }), {
    revalidate: ["/", "layout"],
  });
}

export async function updateTenantAction(
  tenantId: string,
  input: Record<string, unknown>,
): Promise<ActionResult<{ slug: string }>> {
  return runAction(async (caller) => ({ slug: (await updateTenant(caller, tenantId, input)).slug }), {
    revalidate: ["/", "layout"],
  });
}
