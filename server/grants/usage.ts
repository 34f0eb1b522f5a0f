import "server-only";
import type { Db } from "../db";
import { runStatement } from "../db/statement";
import { TOUCH_GRANT } from "./statements";

// "Last used" on a grant: when one of its tokens was last presented (introspection, refresh,
// decision). Written at most once a minute per grant: the statement itself refuses fresher
// writes (so several instances agree), and each process skips the statement for grants it wrote
// within the minute. Only a usage timestamp is remembered here, never whether anything is live.

const RESOLUTION_MS = 60_000;
const MAX_REMEMBERED = 10_000;
const written = new Map<string, number>();

export async function touchGrant(db: Db, grantId: string, now = Date.now()): Promise<void> {
  const last = written.get(grantId);
  if (last !== undefined && now - last < RESOLUTION_MS) return;
  if (written.size >= MAX_REMEMBERED) written.clear();
  written.set(grantId, now);
  const at = new Date(now);
  const cutoff = new Date(now - RESOLUTION_MS);
  await runStatement(TOUCH_GRANT, [grantId, at, cutoff], db);
}
