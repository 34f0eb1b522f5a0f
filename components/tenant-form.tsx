"use client";

import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import type { ActionResult } from "@/lib/action-result";
import { slugFromName } from "@/lib/schemas/tenants";

/**
 * A tenant's name and slug (its URL). The slug follows the name until it is edited by hand; errors
 * are shown on their fields, every one at once.
 */
export function TenantForm({
  initial,
  submitLabel,
  pendingLabel,
  onSubmit,
  onDone,
  onCancel,
}: {
  initial?: { name: string; slug: string };
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (input: { name: string; slug: string }) => Promise<ActionResult<{ slug: string }>>;
  onDone: (slug: string) => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(initial?.name ?? "");
  const [slug, setSlug] = useState(initial?.slug ?? "");
  const [slugTouched, setSlugTouched] = useState(!!initial);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    const r = await onSubmit({ name, slug });
    setPending(false);
    if (!r.ok) {
      setErrors(r.fieldErrors ?? {});
      setFormError(r.fieldErrors ? null : r.error);
      return;
    }
    onDone(r.data.slug);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel} className="space-y-4">
      <FormError message={formError} />
      <Field
        id="tenant-name"
        label="Name"
        value={name}
        placeholder="Acme Corp"
        onChange={(e) => {
          setName(e.target.value);
          if (!slugTouched) setSlug(slugFromName(e.target.value));
        }}
        error={errors.name?.[0]}
      />
      <Field
        id="tenant-slug"
        label="Slug (its address in the console)"
        value={slug}
        placeholder="acme"
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setSlug(e.target.value);
          setSlugTouched(true);
        }}
        error={errors.slug?.[0]}
      />
      <div className="flex justify-end gap-2">
        {onCancel ? (
          <Button variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </Button>
      </div>
    </form>
  );
}
