"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { decideApproval } from "@/server/policies/approvals";

// Approve or deny a request. Who may is decided by the domain (approvals.decide in the request's
// tenant, or the agent's owner or backup owner), from the request itself, never from these inputs.

const PAGE = { revalidate: ["/[tenant]/approvals", "page"] } as const;

export async function approveRequestAction(id: string, note: string): Promise<ActionResult<{ status: string }>> {
  return runAction(async (caller) => ({ status: (await decideApproval(caller, id, true, { note })).status }), PAGE);
}

export async function denyRequestAction(id: string, note: string): Promise<ActionResult<{ status: string }>> {
  return runAction(async (caller) => ({ status: (await decideApproval(caller, id, false, { note })).status }), PAGE);
}
