import "server-only";
import type { ActorType } from "../audit/record";
import type { Prisma } from "../db/generated/client";

/**
 * A token is live while it is unexpired and unrevoked, its grant (if any) is unrevoked, and its
 * client may still hold tokens: an active agent inside its review date, or an unrevoked
 * automation client. The authorization server's adapter and the admin API read tokens only
 * through this condition, so suspending an agent or revoking a grant ends its tokens at once.
 */
export function liveTokenWhere(now: Date): Prisma.TokenWhereInput {
  return {
    revokedAt: null,
    expiresAt: { gt: now },
    AND: [
      { OR: [{ grantId: null }, { grant: { revokedAt: null } }] },
      {
        OR: [
          {
            agentId: { not: null },
            agent: {
              status: "ACTIVE",
              consentWithdrawnAt: null,
              OR: [{ reviewDueAt: null }, { reviewDueAt: { gt: now } }],
            },
          },
          { automationClientId: { not: null }, automationClient: { revokedAt: null } },
        ],
      },
    ],
  };
}

/** Who a token event is attributed to: the agent or automation client that holds the token. */
export function tokenActor(row: { agentId: string | null; automationClientId: string | null; clientId: string }): {
  type: ActorType;
  id: string;
  label: string;
} {
  if (row.agentId) return { type: "agent", id: row.agentId, label: row.clientId };
  return { type: "client", id: row.automationClientId ?? row.clientId, label: row.clientId };
}
