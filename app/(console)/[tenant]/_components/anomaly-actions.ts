"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { acknowledgeAnomaly, containAnomaly, dismissAnomaly } from "@/server/anomalies/anomalies";

// Console actions on anomalies: one, or a row's group of one agent's repeated anomalies. The
// domain checks the caller's tenant and role for each, and audits each.

const CONSOLE = { revalidate: ["/[tenant]", "layout"] } as const;

export async function acknowledgeAnomalyAction(ids: string[], reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await acknowledgeAnomaly(caller, ids, { reason })), CONSOLE);
}

export async function dismissAnomalyAction(ids: string[], reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await dismissAnomaly(caller, ids, { reason })), CONSOLE);
}

export async function containAnomalyAction(
  ids: string[],
  action: "suspend" | "kill",
  reason: string,
): Promise<ActionResult> {
  return runAction(async (caller) => void (await containAnomaly(caller, ids, { action, reason })), CONSOLE);
}
