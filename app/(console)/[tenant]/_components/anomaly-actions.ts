"use server";

import type { ActionResult } from "@/lib/action-result";
import { runAction } from "@/server/actions";
import { acknowledgeAnomaly, containAnomaly, dismissAnomaly } from "@/server/anomalies/anomalies";

// Console actions on anomalies; the domain checks the caller's tenant and role, and audits.

const CONSOLE = { revalidate: ["/[tenant]", "layout"] } as const;

export async function acknowledgeAnomalyAction(id: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await acknowledgeAnomaly(caller, id, { reason })), CONSOLE);
}

export async function dismissAnomalyAction(id: string, reason: string): Promise<ActionResult> {
  return runAction(async (caller) => void (await dismissAnomaly(caller, id, { reason })), CONSOLE);
}

export async function containAnomalyAction(
  id: string,
  action: "suspend" | "kill",
  reason: string,
): Promise<ActionResult> {
  return runAction(async (caller) => void (await containAnomaly(caller, id, { action, reason })), CONSOLE);
}
