"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { setAutoContainment } from "@/server/anomalies/anomalies";
import { updateTenantSettings } from "@/server/tenants/update-settings";

export async function updateTenantSettingsAction(
  tenantId: string,
  input: Record<string, unknown>,
): Promise<ActionResult> {
  return runAction(async (caller) => void (await updateTenantSettings(caller, tenantId, input)), {
    revalidate: ["/[tenant]/settings", "page"],
  });
}

export async function setAutoContainmentAction(tenantId: string, enabled: boolean): Promise<ActionResult> {
  return runAction(async (caller) => void (await setAutoContainment(caller, tenantId, { enabled })), {
    revalidate: ["/[tenant]/settings", "page"],
  });
}
