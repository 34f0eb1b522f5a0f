"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Modal } from "@/components/ui/modal";
import { SelectField } from "@/components/ui/select-field";
import { MEMBER_ROLE_LABELS, MEMBER_ROLES } from "@/lib/schemas/users";
import { addMemberAction } from "../actions";

/** Adds someone who already has an account (in another tenant, say) to this tenant with a role. */
export function AddMemberButton({
  tenant,
  presetUser,
  label = "Add existing person",
}: {
  tenant: { id: string; name: string };
  /** The person's email, when the button sits on their page. */
  presetUser?: string;
  label?: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPending(true);
    const r = await addMemberAction(tenant.id, {
      user: presetUser ?? String(data.get("user") ?? ""),
      role: String(data.get("role") ?? ""),
    });
    setPending(false);
    if (!r.ok) {
      setErrors(r.fieldErrors ?? {});
      setFormError(r.error);
      return;
    }
    setOpen(false);
    router.refresh();
  }

  return (
    <>
      <Button
        variant="secondary"
        onClick={() => {
          setErrors({});
          setFormError(null);
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <Modal open={open} title={`Add to ${tenant.name}`} onClose={() => setOpen(false)}>
        <form onSubmit={onSubmit} noValidate aria-label={`Add to ${tenant.name}`} className="space-y-4">
          <FormError message={formError} />
          {presetUser ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">{presetUser}</p>
          ) : (
            <Field
              id="member-user"
              name="user"
              type="email"
              label="Their email"
              autoComplete="off"
              error={errors.user?.[0]}
            />
          )}
          <SelectField
            id="member-role"
            name="role"
            label="Role"
            defaultValue="member"
            error={errors.role?.[0]}
            options={MEMBER_ROLES.map((r) => ({ value: r, label: MEMBER_ROLE_LABELS[r] }))}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Adding…" : "Add"}
            </Button>
          </div>
        </form>
      </Modal>
    </>
  );
}
