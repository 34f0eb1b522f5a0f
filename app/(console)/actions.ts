"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { createTenantAs } from "@/server/tenants/manage-tenants";

/** The first run: a security admin in no tenant yet creates the first one. */
export async function createFirstTenantAction(input: Record<string, unknown>): Promise<ActionResult<{ slug: string }>> {
  return runAction(async (caller) => ({ slug: (await createTenantAs(caller, input)).slug }), {
    revalidate: ["/", "layout"],
  });
}
