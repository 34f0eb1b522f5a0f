import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import type { ActionResult } from "@/lib/action-result";
import { DomainError, ServiceUnavailableError } from "@/lib/errors";
import { withRequestMeta } from "./audit/context";
import type { Caller } from "./auth/caller";
import { requestMeta } from "./auth/request-meta";
import { getCaller } from "./auth/session";
import { isDatabaseUnavailable } from "./db/unavailable";

/** An action's error as its form shows it: a domain refusal's sentence, or a generic one. */
function failure(error: unknown): { ok: false; error: string; fieldErrors?: Record<string, string[]> } {
  if (error instanceof DomainError) return { ok: false, error: error.message, fieldErrors: error.details };
  if (isDatabaseUnavailable(error)) {
    console.error("console action: database unavailable", error);
    return { ok: false, error: new ServiceUnavailableError().message };
  }
  console.error("console action failed", error);
  return { ok: false, error: "Something went wrong. Nothing was changed; try again." };
}

/**
 * The one wrapper for console server actions: resolves the caller, runs the domain function (which
 * validates, checks tenancy and role, and audits), and turns expected failures into a result the
 * form can show. Anything unexpected is logged and shown as a generic sentence. `revalidate`
 * names the console pages whose data the action may have changed.
 */
export async function runAction<T>(
  fn: (caller: Caller) => Promise<T>,
  { revalidate }: { revalidate?: readonly [path: string, type: "page" | "layout"] } = {},
): Promise<ActionResult<T>> {
  const caller = await getCaller();
  if (!caller) return { ok: false, error: "Your session has ended. Sign in again." };
  try {
    // Every audit event the action writes carries this request's id, address and user agent.
    const data = await withRequestMeta(requestMeta(await headers()), () => fn(caller));
    if (revalidate) revalidatePath(revalidate[0], revalidate[1]);
    return { ok: true, data };
  } catch (error) {
    return failure(error);
  }
}

/**
 * For the few console actions taken before anyone is signed in (accepting an invitation): the same
 * request stamping and error handling, without a caller. The domain function does its own checks.
 */
export async function runPublicAction<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await withRequestMeta(requestMeta(await headers()), fn) };
  } catch (error) {
    return failure(error);
  }
}
