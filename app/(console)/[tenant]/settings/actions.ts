"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { updateTenantSettings } from "@/server/tenants/update-settings";
import { deactivateUser } from "@/server/users/deactivate-user";

export async function deactivateUserAction(userId: string, reason: string): Promise<ActionResult> {
  const result = await runAction(async (caller) => void (await deactivateUser(caller, userId, { reason })));
  revalidatePath("/[tenant]", "layout");
  return result;
}

export async function updateTenantSettingsAction(
  tenantId: string,
  input: Record<string, unknown>,
): Promise<ActionResult> {
  const result = await runAction(async (caller) => void (await updateTenantSettings(caller, tenantId, input)));
  revalidatePath("/[tenant]/settings", "page");
  return result;
}
