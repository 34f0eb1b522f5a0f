"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { OrDivider } from "@/components/ui/or-divider";
import { acceptAsSignedInAction, acceptWithPasswordAction, prepareSsoAcceptanceAction } from "../actions";

/** A new person sets their name and password (or uses single sign-on), then signs in. */
export function AcceptForm({
  token,
  email,
  suggestedName,
  sso,
}: {
  token: string;
  email: string;
  suggestedName: string;
  sso: { name: string } | null;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPending(true);
    const r = await acceptWithPasswordAction(token, {
      name: String(data.get("name") ?? ""),
      password: String(data.get("password") ?? ""),
      confirm: String(data.get("confirm") ?? ""),
    });
    setPending(false);
    if (!r.ok) {
      setErrors(r.fieldErrors ?? {});
      setFormError(r.fieldErrors ? null : r.error);
      return;
    }
    const next = new URLSearchParams({ email: r.data.email, callbackUrl: r.data.destination, welcome: "1" });
    router.replace(`/sign-in?${next}`);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Accept the invitation" className="space-y-4">
      <FormError message={formError} />
      <Field id="email" label="Email" value={email} readOnly disabled />
      <Field
        id="name"
        name="name"
        label="Your name"
        defaultValue={suggestedName}
        autoComplete="name"
        error={errors.name?.[0]}
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Choose a password (12 characters or more)"
        autoComplete="new-password"
        error={errors.password?.[0]}
      />
      <Field
        id="confirm"
        name="confirm"
        type="password"
        label="Repeat the password"
        autoComplete="new-password"
        error={errors.confirm?.[0]}
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Setting up your account…" : "Accept and set password"}
      </Button>
      {sso ? (
        <>
          <OrDivider />
          <Button
            variant="secondary"
            className="w-full"
            onClick={async () => {
              const r = await prepareSsoAcceptanceAction(token);
              if (!r.ok) return setFormError(r.error);
              await signIn("sso", { callbackUrl: `/invite/${token}` });
            }}
          >
            Accept with {sso.name}
          </Button>
          <p className="text-xs text-muted">Single sign-on must vouch for {email}.</p>
        </>
      ) : null}
    </form>
  );
}

/** Someone signed in as the invited email takes the role with one click. */
export function AcceptAsSignedIn({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <div className="space-y-3">
      <FormError message={error} />
      <Button
        className="w-full"
        disabled={pending}
        onClick={async () => {
          setPending(true);
          const r = await acceptAsSignedInAction(token);
          setPending(false);
          if (!r.ok) return setError(r.error);
          router.replace(r.data.destination);
          router.refresh();
        }}
      >
        {pending ? "Accepting…" : "Accept the invitation"}
      </Button>
    </div>
  );
}
