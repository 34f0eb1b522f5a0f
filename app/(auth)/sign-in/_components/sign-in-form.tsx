"use client";

import { AlertCircle } from "lucide-react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { OrDivider } from "@/components/ui/or-divider";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { signInSchema } from "@/lib/schemas/auth";

type FieldErrors = Partial<Record<"email" | "password", string>>;

export function SignInForm({
  callbackUrl,
  initialError,
  notice,
  email,
  sso,
}: {
  callbackUrl: string;
  initialError?: string;
  /** A sentence above the form (after accepting an invitation, say). */
  notice?: string;
  /** The email to fill in. */
  email?: string;
  sso: { name: string } | null;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      const next: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as keyof FieldErrors;
        next[key] ??= issue.message;
      }
      setErrors(next);
      setFormError(undefined);
      return;
    }
    setErrors({});
    setFormError(undefined);
    setPending(true);
    try {
      const result = await signIn("password", { ...parsed.data, redirect: false });
      if (!result || result.error) {
        setFormError(
          result?.error && result.error !== "CredentialsSignin" ? result.error : "Sign-in failed. Try again.",
        );
        return;
      }
      router.replace(safeCallbackPath(callbackUrl, window.location.origin));
      router.refresh();
    } catch {
      setFormError("Mandate could not be reached. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-4" aria-label="Sign in">
      {notice && !formError ? (
        <p
          role="status"
          className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
        >
          {notice}
        </p>
      ) : null}
      {formError ? (
        <div
          role="alert"
          className="flex gap-2 rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <span>{formError}</span>
        </div>
      ) : null}
      <Field
        id="email"
        name="email"
        type="email"
        label="Email"
        autoComplete="username"
        error={errors.email}
        defaultValue={email}
        autoFocus={!email}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        error={errors.password}
        autoFocus={!!email}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      {sso ? (
        <>
          <OrDivider />
          <Button variant="secondary" className="w-full" onClick={() => signIn("sso", { callbackUrl })}>
            Continue with {sso.name}
          </Button>
        </>
      ) : null}
    </form>
  );
}
