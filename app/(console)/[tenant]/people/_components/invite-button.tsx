"use client";

import { UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { Modal } from "@/components/ui/modal";
import { SelectField } from "@/components/ui/select-field";
import { GLOBAL_ROLE_LABELS, GLOBAL_ROLES, MEMBER_ROLE_LABELS, MEMBER_ROLES } from "@/lib/schemas/users";
import { type IssuedLink, invitePersonAction } from "../actions";
import { IssuedLinkNotice } from "./issued-link";

/**
 * Invites someone by email: to this tenant with a role, or (security admins) with a role across
 * every tenant. The link appears once, to copy; it is also emailed when SMTP is set up.
 */
export function InviteButton({
  tenant,
  canInviteHere,
  canInviteGlobally,
}: {
  tenant: { slug: string; name: string };
  canInviteHere: boolean;
  canInviteGlobally: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [where, setWhere] = useState<"tenant" | "global">(canInviteHere ? "tenant" : "global");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [issued, setIssued] = useState<IssuedLink | null>(null);
  const err = (k: string) => errors[k]?.[0];

  function reset() {
    setErrors({});
    setFormError(null);
    setIssued(null);
    setWhere(canInviteHere ? "tenant" : "global");
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const name = String(data.get("name") ?? "").trim();
    setPending(true);
    const r = await invitePersonAction({
      email: String(data.get("email") ?? ""),
      ...(name ? { name } : {}),
      ...(where === "tenant"
        ? { tenant: tenant.slug, role: String(data.get("role") ?? "") || undefined }
        : { global_role: String(data.get("global_role") ?? "") || undefined }),
    });
    setPending(false);
    if (!r.ok) {
      setErrors(r.fieldErrors ?? {});
      setFormError(r.error);
      return;
    }
    setIssued(r.data);
    router.refresh();
  }

  return (
    <>
      <Button
        onClick={() => {
          reset();
          setOpen(true);
        }}
      >
        <UserPlus className="size-4" aria-hidden /> Invite people
      </Button>
      <Modal open={open} title={issued ? "Invitation ready" : "Invite a person"} onClose={() => setOpen(false)} wide>
        {issued ? (
          <>
            <IssuedLinkNotice link={issued} />
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={reset}>
                Invite another
              </Button>
              <Button onClick={() => setOpen(false)}>Done</Button>
            </div>
          </>
        ) : (
          <form onSubmit={onSubmit} noValidate aria-label="Invite a person" className="space-y-4">
            <FormError message={formError} />
            <Field id="invite-email" name="email" type="email" label="Email" autoComplete="off" error={err("email")} />
            <Field
              id="invite-name"
              name="name"
              label="Name (optional: they confirm their own)"
              autoComplete="off"
              error={err("name")}
            />
            {canInviteHere && canInviteGlobally ? (
              <fieldset className="space-y-2">
                <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Access</legend>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="where"
                    checked={where === "tenant"}
                    onChange={() => setWhere("tenant")}
                    className="accent-indigo-600"
                  />
                  In {tenant.name}
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input
                    type="radio"
                    name="where"
                    checked={where === "global"}
                    onChange={() => setWhere("global")}
                    className="accent-indigo-600"
                  />
                  Across every tenant
                </label>
              </fieldset>
            ) : null}
            {where === "tenant" ? (
              <SelectField
                id="invite-role"
                name="role"
                label={`Role in ${tenant.name}`}
                defaultValue="member"
                error={err("role") ?? err("tenant")}
                options={MEMBER_ROLES.map((r) => ({ value: r, label: MEMBER_ROLE_LABELS[r] }))}
              />
            ) : (
              <SelectField
                id="invite-global-role"
                name="global_role"
                label="Role across every tenant"
                defaultValue="auditor"
                error={err("global_role")}
                options={GLOBAL_ROLES.map((r) => ({ value: r, label: GLOBAL_ROLE_LABELS[r] }))}
              />
            )}
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" disabled={pending}>
                {pending ? "Inviting…" : "Send invitation"}
              </Button>
            </div>
          </form>
        )}
      </Modal>
    </>
  );
}
