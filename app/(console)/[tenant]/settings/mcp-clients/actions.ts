"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { setClientApproval, setOpenScopes } from "@/server/agents/connected-clients";

// Connected MCP clients: approving, blocking and the open scopes, checked and audited by the domain.

const PAGE = { revalidate: ["/[tenant]/settings/mcp-clients", "page"] } as const;

export async function setClientApprovalAction(
  id: string,
  approval: "approved" | "blocked",
  reason: string,
): Promise<ActionResult> {
  return runAction(async (caller) => void (await setClientApproval(caller, id, approval, { reason })), PAGE);
}

export async function setOpenScopesAction(tenantId: string, scopes: string[]): Promise<ActionResult> {
  return runAction(async (caller) => void (await setOpenScopes(caller, tenantId, { scopes })), PAGE);
}
