import "server-only";
import { env } from "@/lib/env";
import { InvalidTokenError } from "@/lib/errors";
import { BEARER_KINDS } from "../auth/bearer";
import { automationCaller, type ClientCaller } from "../auth/caller";
import { prisma } from "../db";
import { hashToken } from "../oauth/hash";
import { apiResource } from "../oauth/resource";
import { liveTokenWhere } from "../oauth/token-store";

/**
 * The admin API's caller: the automation client holding the bearer token. The token is looked up
 * by its hash on every request (no cache), so a revoked token or client fails on the next call.
 * Agents' tokens are refused here: agents use the decisions API, not the admin API.
 */
export async function apiCaller(value: string | null): Promise<ClientCaller> {
  if (!value) {
    throw new InvalidTokenError(
      "Send a live access token issued by Mandate to an automation client: Authorization: Bearer <token>.",
    );
  }
  const db = await prisma();
  const token = await db.token.findFirst({
    where: {
      hash: hashToken(value),
      kind: { in: [...BEARER_KINDS] },
      automationClientId: { not: null },
      ...liveTokenWhere(new Date()),
    },
    include: { automationClient: true },
  });
  if (!token?.automationClient)
    throw new InvalidTokenError("The access token is unknown, expired or revoked, or not an automation client's.");
  if (token.audience !== apiResource(env().publicUrl))
    throw new InvalidTokenError("The access token is not for this API.");
  // The admin API takes bearer tokens only: a DPoP-bound one (RFC 9449) would be accepted here
  // without its key, so it is refused. Automation clients ask for their tokens without a proof.
  if ((token.payload as { jkt?: unknown } | null)?.jkt) {
    throw new InvalidTokenError(
      "The access token is DPoP-bound; the admin API takes bearer tokens: ask for one without a DPoP proof.",
    );
  }
  return automationCaller(token.automationClient);
}
