import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Logo } from "@/components/ui/logo";
import { env } from "@/lib/env";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { getCaller } from "@/server/auth/session";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

// Errors next-auth or our callbacks put in ?error=, in words a person can act on.
const ERRORS: Record<string, string> = {
  sso_no_account:
    "Your single sign-on account is not linked to an active Mandate user. Ask a security admin to add you.",
  OAuthSignin: "Single sign-on could not start. Try again, or sign in with your password.",
  OAuthCallback: "Single sign-on did not complete. Try again, or sign in with your password.",
  SessionRequired: "Sign in to continue.",
  AccessDenied: "Access denied.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callback = safeCallbackPath(
    typeof params.callbackUrl === "string" ? params.callbackUrl : null,
    env().publicUrl,
  );
  if (await getCaller()) redirect(callback);
  const errorCode = typeof params.error === "string" ? params.error : undefined;
  const email = typeof params.email === "string" && params.email.length <= 254 ? params.email : undefined;
  const notice = params.welcome === "1" ? "Your account is ready. Sign in to continue." : undefined;
  const sso = env().sso;
  return (
    <main className="grid min-h-screen place-items-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center gap-3 text-center">
          <Logo className="text-xl" />
          <p className="text-sm text-slate-600 dark:text-slate-400">Sign in to the console</p>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <SignInForm
            callbackUrl={callback}
            initialError={errorCode ? (ERRORS[errorCode] ?? "Sign-in failed. Try again.") : undefined}
            notice={notice}
            email={email}
            sso={sso ? { name: sso.name } : null}
          />
        </div>
      </div>
    </main>
  );
}
