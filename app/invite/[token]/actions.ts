"use server";

import { cookies } from "next/headers";
import type { ActionResult } from "@/lib/action-result";
import { env } from "@/lib/env";
import { invitationTokenSchema } from "@/lib/schemas/users";
import { runAction, runPublicAction } from "@/server/actions";
import { INVITATION_COOKIE } from "@/server/auth/options";
import { acceptInvitationAsUser, acceptInvitationWithPassword } from "@/server/users/accept-invitation";

/** A new person accepts with their name and password; they sign in next. */
export async function acceptWithPasswordAction(
  token: string,
  input: Record<string, unknown>,
): Promise<ActionResult<{ email: string; destination: string }>> {
  return runPublicAction(() => acceptInvitationWithPassword(token, input));
}

/** Someone already signed in as the invited email accepts. */
export async function acceptAsSignedInAction(token: string): Promise<ActionResult<{ destination: string }>> {
  return runAction(async (caller) => {
    if (caller.type !== "user") throw new Error("console actions are taken by people");
    return acceptInvitationAsUser(caller, token);
  });
}

/**
 * Before single sign-on from an invitation: remembers the invitation (a short-lived, HTTP-only
 * cookie) so that the sign-in that comes back can accept it for the verified email.
 */
export async function prepareSsoAcceptanceAction(token: string): Promise<ActionResult> {
  if (!invitationTokenSchema.safeParse(token).success)
    return { ok: false, error: "This invitation link is not valid." };
  (await cookies()).set(INVITATION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: env().publicUrl.startsWith("https://"),
    path: "/api/auth",
    maxAge: 15 * 60,
  });
  return { ok: true, data: undefined };
}
