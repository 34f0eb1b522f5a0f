"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { updateTenantSettingsAction } from "../actions";

/** The tenant's agent review period: days from activation or renewal to the next review. */
export function ReviewPeriodForm({ tenantId, days, canWrite }: { tenantId: string; days: number; canWrite: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const r = await updateTenantSettingsAction(tenantId, {
      review_period_days: new FormData(e.currentTarget).get("review_period_days"),
    });
    if (!r.ok) return setError(r.fieldErrors?.review_period_days?.[0] ?? r.error);
    setError(undefined);
    setSaved(true);
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Agent reviews" className="flex flex-wrap items-end gap-3">
      <Field
        id="review_period_days"
        name="review_period_days"
        label="Days between agent reviews"
        type="number"
        defaultValue={days}
        disabled={!canWrite}
        error={error}
        className="w-56"
      />
      {canWrite ? <Button type="submit">Save</Button> : null}
      {saved ? (
        <p role="status" className="pb-2 text-sm text-emerald-700 dark:text-emerald-400">
          Saved. New activations and renewals use it.
        </p>
      ) : null}
    </form>
  );
}
