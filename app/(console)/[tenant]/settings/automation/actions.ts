"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { createAutomationClient, revokeAutomationClient } from "@/server/automation/automation-clients";

// Automation clients: only security admins, checked by the domain. The secret leaves the server in
// the create answer only, for the form to show once.

const PAGE = { revalidate: ["/[tenant]/settings/automation", "page"] } as const;

export async function createAutomationClientAction(
  input: Record<string, unknown>,
): Promise<ActionResult<{ clientId: string; secret: string }>> {
  return runAction(async (caller) => {
    const { client, secret } = await createAutomationClient(caller, input);
    return { clientId: client.clientId, secret };
  }, PAGE);
}

export async function revokeAutomationClientAction(id: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await revokeAutomationClient(caller, id, { reason })), PAGE);
}
