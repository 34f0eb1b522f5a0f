import "server-only";
import type { ActionResult } from "@/lib/action-result";
import { DomainError } from "@/lib/errors";
import type { Caller } from "./auth/caller";
import { getCaller } from "./auth/session";

/**
 * The one wrapper for console server actions: resolves the caller, runs the domain function (which
 * validates, checks tenancy and role, and audits), and turns expected failures into a result the
 * form can show. Anything unexpected is logged and shown as a generic sentence.
 */
export async function runAction<T>(fn: (caller: Caller) => Promise<T>): Promise<ActionResult<T>> {
  const caller = await getCaller();
  if (!caller) return { ok: false, error: "Your session has ended. Sign in again." };
  try {
    return { ok: true, data: await fn(caller) };
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, error: error.message, fieldErrors: error.details };
    console.error("console action failed", error);
    return { ok: false, error: "Something went wrong. Nothing was changed; try again." };
  }
}
