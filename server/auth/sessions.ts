import "server-only";
import type { RequestMeta } from "../audit/record";
import type { Db } from "../db";

// Console sessions on the server. The cookie (next-auth's JWT) carries the session's id, and every
// request checks the row (caller.ts, loadSessionCaller): signing out, being deactivated or having
// one's sessions ended by a security admin stops a copied cookie at once.

export type SessionEndReason = "sign_out" | "deactivated" | "ended_by_admin";

/** Opens a session at sign-in (in the transaction that records the sign-in); returns its id. */
export async function startSession(
  db: Db,
  userId: string,
  method: "password" | "sso" | "invitation",
  meta: RequestMeta,
): Promise<string> {
  const session = await db.consoleSession.create({
    data: { userId, method, ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 512) ?? null },
    select: { id: true },
  });
  return session.id;
}

/** Ends one session; true if it was live. */
export async function endSession(db: Db, sessionId: string, reason: SessionEndReason): Promise<boolean> {
  const { count } = await db.consoleSession.updateMany({
    where: { id: sessionId, endedAt: null },
    data: { endedAt: new Date(), endedReason: reason },
  });
  return count > 0;
}

/** Ends every live session of a person; how many there were. */
export async function endUserSessions(db: Db, userId: string, reason: SessionEndReason): Promise<number> {
  const { count } = await db.consoleSession.updateMany({
    where: { userId, endedAt: null },
    data: { endedAt: new Date(), endedReason: reason },
  });
  return count;
}

/** Sessions not ended and used within the session lifetime. */
export function liveSessionWhere(maxAgeMinutes: number, now = new Date()) {
  return { endedAt: null, lastSeenAt: { gt: new Date(now.getTime() - maxAgeMinutes * 60_000) } };
}

export async function countLiveSessions(db: Db, userId: string, maxAgeMinutes: number): Promise<number> {
  return db.consoleSession.count({ where: { userId, ...liveSessionWhere(maxAgeMinutes) } });
}

/** Sessions over for a month leave (the audit store keeps their sign-ins and sign-outs). */
export async function purgeOldSessions(db: Db, maxAgeMinutes: number, now = new Date()): Promise<number> {
  const monthAgo = new Date(now.getTime() - 30 * 86_400_000);
  const idleSince = new Date(now.getTime() - maxAgeMinutes * 60_000);
  const { count } = await db.consoleSession.deleteMany({
    where: {
      OR: [
        { endedAt: { lt: monthAgo } },
        { endedAt: null, lastSeenAt: { lt: idleSince < monthAgo ? idleSince : monthAgo } },
      ],
    },
  });
  return count;
}
