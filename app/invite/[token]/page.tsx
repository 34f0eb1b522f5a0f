import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { UserMenu } from "@/components/shell/user-menu";
import { buttonClass } from "@/components/ui/button";
import { Logo } from "@/components/ui/logo";
import { env } from "@/lib/env";
import { formatUtc } from "@/lib/format";
import { ROLE_LABELS } from "@/lib/permissions";
import { getCaller } from "@/server/auth/session";
import { previewInvitation } from "@/server/users/accept-invitation";
import { AcceptAsSignedIn, AcceptForm } from "./_components/accept-form";

// The page an invitation link opens. The token is in the path: no referrer leaves this page.
export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer", robots: { index: false } };

const UNUSABLE = {
  invalid: {
    title: "This invitation link is not valid",
    body: "It may have been copied only in part, or replaced by a newer invitation. Ask the person who invited you to send it again.",
  },
  accepted: { title: "This invitation has already been used", body: "Sign in with the account it created." },
  expired: {
    title: "This invitation has expired",
    body: "Invitation links work for a limited time. Ask the person who invited you to send it again.",
  },
  revoked: {
    title: "This invitation was withdrawn",
    body: "Ask the person who invited you for a new one if you still need access.",
  },
} as const;

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, caller] = await Promise.all([previewInvitation(token), getCaller()]);
  const sso = env().sso;
  // Accepted by this very person (single sign-on accepts on the way back): on to the tenant.
  if (invitation.status === "accepted" && caller?.email === invitation.email) {
    redirect(invitation.tenant ? `/${invitation.tenant.slug}` : "/");
  }
  let content: React.ReactNode;
  if (invitation.status !== "pending") {
    const copy = UNUSABLE[invitation.status];
    content = (
      <>
        <h1 className="text-lg font-semibold">{copy.title}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">{copy.body}</p>
        <p className="text-sm text-slate-600 dark:text-slate-400">Nothing has changed.</p>
        <Link href="/sign-in" className={buttonClass("secondary", "w-full")}>
          Go to sign-in
        </Link>
      </>
    );
  } else {
    const intro = (
      <>
        <h1 className="text-lg font-semibold">You are invited to Mandate</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {invitation.invitedBy} invited <strong>{invitation.email}</strong> as <strong>{invitation.what}</strong>. This
          link works once, until {formatUtc(invitation.expiresAt)}.
        </p>
      </>
    );
    const signInHere = `/sign-in?${new URLSearchParams({ callbackUrl: `/invite/${token}`, email: invitation.email })}`;
    if (caller && caller.email !== invitation.email) {
      content = (
        <>
          {intro}
          <p
            role="alert"
            className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
          >
            You are signed in as {caller.email}. Sign out, then open this link again to accept it as {invitation.email}.
          </p>
        </>
      );
    } else if (caller) {
      content = (
        <>
          {intro}
          <AcceptAsSignedIn token={token} />
        </>
      );
    } else if (invitation.accountExists) {
      content = (
        <>
          {intro}
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {invitation.email} already has an account: sign in to accept.
          </p>
          <Link href={signInHere} className={buttonClass("primary", "w-full")}>
            Sign in to accept
          </Link>
        </>
      );
    } else {
      content = (
        <>
          {intro}
          <AcceptForm
            token={token}
            email={invitation.email}
            suggestedName={invitation.name}
            sso={sso ? { name: sso.name } : null}
          />
        </>
      );
    }
  }
  return (
    <div className="min-h-screen">
      {caller ? (
        <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
          <Logo className="text-lg" />
          <UserMenu
            name={caller.name}
            email={caller.email}
            role={caller.roles.global ? ROLE_LABELS[caller.roles.global] : "Signed in"}
          />
        </header>
      ) : null}
      <main className="grid place-items-center px-4 py-12">
        <div className="w-full max-w-md">
          {caller ? null : (
            <div className="mb-8 flex justify-center">
              <Logo className="text-xl" />
            </div>
          )}
          <div className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            {content}
          </div>
        </div>
      </main>
    </div>
  );
}
