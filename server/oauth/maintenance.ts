import "server-only";
import { prisma } from "../db";

/** How long spent tokens stay listed (revoked or expired) before they are deleted. */
export const SPENT_TOKEN_RETENTION_DAYS = 7;

/**
 * Deletes the authorization server's spent state: tokens expired more than a week ago (their
 * issuance and revocation stay in the audit log) and expired interactions, sessions and replay
 * records, and the DPoP proofs whose jti can no longer be replayed (their iat is out of the window).
 * Run hourly with the review sweep.
 */
export async function purgeExpiredOAuthState(
  now = new Date(),
): Promise<{ tokens: number; payloads: number; dpopProofs: number }> {
  const db = await prisma();
  const cutoff = new Date(now.getTime() - SPENT_TOKEN_RETENTION_DAYS * 86_400_000);
  const tokens = await db.token.deleteMany({ where: { expiresAt: { lt: cutoff } } });
  const payloads = await db.oidcPayload.deleteMany({ where: { expiresAt: { lt: now } } });
  const proofs = await db.dpopProof.deleteMany({ where: { expiresAt: { lt: now } } });
  return { tokens: tokens.count, payloads: payloads.count, dpopProofs: proofs.count };
}
