"use server";

import type { ActionResult } from "@/lib/action-result";
import type { RevocationImpact } from "@/lib/schemas/grants";
import { runAction } from "@/server/actions";
import {
  killAgent,
  previewRevocation,
  type RevocationResult,
  restoreTenantConsent,
  revokeGrant,
  revokeGrants,
  revokeUserGrants,
  withdrawTenantConsent,
} from "@/server/grants/revoke";

// Console actions for grants: each wraps one domain function, which validates, checks the
// caller's tenancy and role, and audits in the same transaction as the revocation.

const CONSOLE = { revalidate: ["/[tenant]", "layout"] } as const;

/** The impact a confirmation states before anything is revoked (changes nothing). */
export async function previewRevocationAction(target: unknown): Promise<ActionResult<RevocationImpact>> {
  return runAction((caller) => previewRevocation(caller, target));
}

export async function revokeGrantAction(grantId: string, reason: string): Promise<ActionResult<RevocationResult>> {
  return runAction((caller) => revokeGrant(caller, grantId, { reason }), CONSOLE);
}

export async function revokeGrantsAction(
  grantIds: string[],
  reason: string,
): Promise<ActionResult<RevocationResult & { skipped: number }>> {
  return runAction((caller) => revokeGrants(caller, { grant_ids: grantIds, reason }), CONSOLE);
}

export async function revokeUserGrantsAction(userId: string, reason: string): Promise<ActionResult<RevocationResult>> {
  return runAction((caller) => revokeUserGrants(caller, userId, { reason }), CONSOLE);
}

export async function withdrawConsentAction(agentId: string, reason: string): Promise<ActionResult<RevocationResult>> {
  return runAction((caller) => withdrawTenantConsent(caller, agentId, { reason }), CONSOLE);
}

export async function restoreConsentAction(agentId: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await restoreTenantConsent(caller, agentId, { reason })), CONSOLE);
}

export async function killAgentAction(
  agentId: string,
  reason: string,
): Promise<ActionResult<Awaited<ReturnType<typeof killAgent>>>> {
  return runAction((caller) => killAgent(caller, agentId, { reason }), CONSOLE);
}
