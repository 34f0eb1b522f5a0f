import "server-only";
import type { Db } from "../db";

// Failed sign-ins are counted per email and per source IP in a sliding window. Past the limit the
// key is locked for LOCK_MS; every attempt while locked is refused before the password is checked.
export const THROTTLE: { windowMs: number; lockMs: number; maxPerEmail: number; maxPerIp: number } = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  maxPerEmail: 5,
  maxPerIp: 50,
};

export function throttleKeys(email: string, ip: string | undefined): { key: string; max: number }[] {
  const keys = [{ key: `email:${email}`, max: THROTTLE.maxPerEmail }];
  if (ip) keys.push({ key: `ip:${ip}`, max: THROTTLE.maxPerIp });
  return keys;
}

/** Milliseconds until the first locked key opens again, or 0 when none is locked. */
export async function lockedFor(db: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await db.signInThrottle.findMany({ where: { key: { in: keys }, lockedUntil: { gt: now } } });
  return rows.reduce((ms, r) => Math.max(ms, (r.lockedUntil?.getTime() ?? 0) - now.getTime()), 0);
}

export async function recordFailure(db: Db, keys: { key: string; max: number }[], now = new Date()): Promise<void> {
  for (const { key, max } of keys) {
    const windowFloor = new Date(now.getTime() - THROTTLE.windowMs);
    const row = await db.signInThrottle.findUnique({ where: { key } });
    const failures = row && row.windowStart > windowFloor ? row.failures + 1 : 1;
    const windowStart = row && row.windowStart > windowFloor ? row.windowStart : now;
    const lockedUntil = failures >= max ? new Date(now.getTime() + THROTTLE.lockMs) : null;
    await db.signInThrottle.upsert({
      where: { key },
      create: { key, failures, windowStart, lockedUntil },
      update: { failures, windowStart, lockedUntil },
    });
  }
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}
