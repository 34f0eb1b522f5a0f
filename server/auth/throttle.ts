import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "../db";

// Sign-in attempts are counted per email and per source address in a sliding window, and the
// count and the decision are one statement: each attempt takes its place in the count atomically
// (INSERT … ON CONFLICT DO UPDATE … RETURNING, which PostgreSQL serialises on the key's row)
// before its password is checked. So of forty guesses sent at the same moment, only the first
// `max` are checked at all; the one that reaches the limit locks the key for LOCK_MS, and every
// attempt while it is locked is refused unchecked. A success takes its own attempt back (and
// clears the email's count), so people who sign in are never counted against.
export const THROTTLE: { windowMs: number; lockMs: number; maxPerEmail: number; maxPerIp: number } = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerEmail: 5,
  maxPerIp: 50,
};

export interface ThrottleKey {
  key: string;
  max: number;
}

export function throttleKeys(email: string, ip: string | undefined): ThrottleKey[] {
  const keys = [{ key: `email:${email}`, max: THROTTLE.maxPerEmail }];
  if (ip) keys.push({ key: `ip:${ip}`, max: THROTTLE.maxPerIp });
  return keys;
}

/**
 * Takes one attempt for the key, atomically. Answers 0 when the attempt may go ahead, or the
 * milliseconds until the key opens again when it was already locked. An attempt that brings the
 * count to the limit goes ahead and locks the key behind it.
 */
async function takeAttempt(db: Db, { key, max }: ThrottleKey, now: Date): Promise<number> {
  const floor = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  const attempt = randomUUID();
  const [row] = await db.$queryRaw<{ locked_until: Date | null; last_attempt: string | null }[]>`
    INSERT INTO sign_in_throttles AS t (key, failures, window_start, locked_until, last_attempt)
    VALUES (${key}, 1, ${now}, CASE WHEN 1 >= ${max} THEN ${lockUntil}::timestamptz END, ${attempt}::uuid)
    ON CONFLICT (key) DO UPDATE SET
      last_attempt = CASE WHEN t.locked_until > ${now} THEN t.last_attempt ELSE ${attempt}::uuid END,
      failures = CASE
        WHEN t.locked_until > ${now} THEN t.failures
        WHEN t.window_start <= ${floor} THEN 1
        ELSE t.failures + 1 END,
      window_start = CASE
        WHEN t.locked_until > ${now} THEN t.window_start
        WHEN t.window_start <= ${floor} THEN ${now}
        ELSE t.window_start END,
      locked_until = CASE
        WHEN t.locked_until > ${now} THEN t.locked_until
        WHEN (CASE WHEN t.window_start <= ${floor} THEN 1 ELSE t.failures + 1 END) >= ${max} THEN ${lockUntil}::timestamptz
        ELSE NULL END
    RETURNING locked_until, last_attempt::text AS last_attempt`;
  // Counted (even if it reached the limit and locked the key behind it): it goes ahead. Not
  // counted because the key was already locked: refused, with the wait.
  if (row.last_attempt === attempt) return 0;
  return Math.max(1_000, (row.locked_until?.getTime() ?? now.getTime()) - now.getTime());
}

/**
 * Takes an attempt for every key (each its own atomic statement, committed at once, whatever
 * happens next). Answers 0 when the password may be checked, or the longest wait in milliseconds.
 */
export async function takeAttempts(db: Db, keys: ThrottleKey[], now = new Date()): Promise<number> {
  let wait = 0;
  for (const key of keys) wait = Math.max(wait, await takeAttempt(db, key, now));
  return wait;
}

/**
 * After a successful sign-in: the email's count starts again, and the source address gets this
 * attempt back (a person signing in is not spraying), unlocking it if this attempt locked it.
 */
export async function forgiveAttempt(db: Db, keys: ThrottleKey[]): Promise<void> {
  for (const { key, max } of keys) {
    if (key.startsWith("email:")) {
      await db.signInThrottle.deleteMany({ where: { key } });
      continue;
    }
    await db.$executeRaw`
      UPDATE sign_in_throttles
         SET failures = GREATEST(failures - 1, 0),
             locked_until = CASE WHEN failures - 1 < ${max} THEN NULL ELSE locked_until END
       WHERE key = ${key}`;
  }
}
