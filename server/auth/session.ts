import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { UserCaller } from "./caller";
import { callerFromCookies } from "./session-token";

/**
 * The signed-in console user, reloaded from the database on every request (once per render),
 * through a session that is live on the server: sign-out and deactivation end it at once.
 */
export const getCaller = cache(async (): Promise<UserCaller | null> => callerFromCookies(await cookies()));

/** The caller, or a redirect to sign-in (a deactivated user's session ends here too). */
export async function requireCaller(): Promise<UserCaller> {
  const caller = await getCaller();
  if (!caller) redirect("/sign-in");
  return caller;
}
