"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { revokeToken } from "@/server/oauth/tokens";

// The agent page's token actions. Who may revoke is decided by the domain (tenant owners, security
// admins and the agent's owners), from the token's own tenant, never from these inputs.

export async function revokeTokenAction(tokenId: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await revokeToken(caller, tokenId, { reason })), {
    revalidate: ["/[tenant]/agents/[id]", "page"],
  });
}
