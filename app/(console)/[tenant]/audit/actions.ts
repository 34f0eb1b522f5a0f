"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { verifyAuditLog } from "@/server/audit-log/events";

/** Verifies the whole chain and its signed checkpoints (installation-wide readers). */
export async function verifyAuditAction(): Promise<ActionResult<Awaited<ReturnType<typeof verifyAuditLog>>>> {
  return runAction((caller) => verifyAuditLog(caller));
}
