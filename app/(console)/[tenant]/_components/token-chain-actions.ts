"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { getTokenChain, previewTokenRevocation, revokeToken, type TokenChain } from "@/server/oauth/tokens";

// The chain view's actions (an agent's tokens tab, a grant's tokens): each one domain call, which
// checks the token's tenant and the caller's role; revoking audits in the revocation's transaction.

export async function tokenChainAction(tokenId: string): Promise<ActionResult<TokenChain>> {
  return runAction((caller) => getTokenChain(caller, tokenId));
}

/** What a revocation would take with it, stated before anything is revoked (changes nothing). */
export async function tokenRevocationImpactAction(
  tokenId: string,
): Promise<ActionResult<{ tokens: number; people: number }>> {
  return runAction((caller) => previewTokenRevocation(caller, tokenId));
}

export async function revokeChainTokenAction(tokenId: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await revokeToken(caller, tokenId, { reason })), {
    revalidate: ["/[tenant]", "layout"],
  });
}
