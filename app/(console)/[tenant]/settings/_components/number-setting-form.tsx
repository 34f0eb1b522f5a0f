"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { updateTenantSettingsAction } from "../actions";

/**
 * One of the tenant's numeric settings (the review period, the delegation depth): a field, Save,
 * and the server's message on the field when it refuses the value.
 */
export function NumberSettingForm({
  tenantId,
  field,
  label,
  formLabel,
  value,
  min,
  max,
  savedNote,
  canWrite,
}: {
  tenantId: string;
  field: "review_period_days" | "max_delegation_depth";
  label: string;
  formLabel: string;
  value: number;
  min: number;
  max: number;
  /** What saving changes, said once it is saved. */
  savedNote: string;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaved(false);
    const r = await updateTenantSettingsAction(tenantId, { [field]: new FormData(e.currentTarget).get(field) });
    if (!r.ok) return setError(r.fieldErrors?.[field]?.[0] ?? r.error);
    setError(undefined);
    setSaved(true);
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} noValidate aria-label={formLabel} className="flex flex-wrap items-end gap-3">
      <Field
        id={field}
        name={field}
        label={label}
        type="number"
        min={min}
        max={max}
        step={1}
        defaultValue={value}
        disabled={!canWrite}
        error={error}
        className="w-56"
      />
      {canWrite ? <Button type="submit">Save</Button> : null}
      {saved ? (
        <p role="status" className="pb-2 text-sm text-emerald-700 dark:text-emerald-400">
          Saved. {savedNote}
        </p>
      ) : null}
    </form>
  );
}
