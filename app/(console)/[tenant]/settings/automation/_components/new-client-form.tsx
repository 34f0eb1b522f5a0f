"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { AUTOMATION_ROLE_LABELS, AUTOMATION_ROLES, type AutomationRole } from "@/lib/schemas/automation";
import { createAutomationClientAction } from "../actions";
import { SecretNotice } from "./secret-notice";

const GLOBAL_ROLES: readonly AutomationRole[] = ["security_admin", "auditor"];

const selectClass =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900";

/** Creates an automation client; its secret is shown once, here, with how to use it. */
export function NewClientForm({
  tenants,
  tokenEndpoint,
  apiBase,
  tokenLifetime,
}: {
  tenants: { id: string; slug: string; name: string }[];
  tokenEndpoint: string;
  apiBase: string;
  /** "10 minutes" */
  tokenLifetime: string;
}) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [role, setRole] = useState<AutomationRole | "">("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<{ clientId: string; secret: string } | null>(null);
  const tenantRole = role !== "" && !GLOBAL_ROLES.includes(role);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setPending(true);
    const r = await createAutomationClientAction({
      client_id: String(data.get("client_id") ?? ""),
      name: String(data.get("name") ?? ""),
      role: String(data.get("role") ?? "") || undefined,
      tenant: tenantRole ? String(data.get("tenant") ?? "") || null : null,
    });
    setPending(false);
    if (!r.ok) {
      setErrors(r.fieldErrors ?? {});
      setFormError(r.fieldErrors ? null : r.error);
      return;
    }
    setErrors({});
    setFormError(null);
    setCreated(r.data);
    setRole("");
    form.current?.reset();
    router.refresh();
  }

  const err = (k: string) => errors[k]?.[0];
  const selectRing = (k: string) =>
    err(k) ? "text-red-900 ring-red-400 dark:text-red-200" : "ring-slate-300 dark:ring-slate-700";
  return (
    <div className="space-y-4">
      {created ? (
        <SecretNotice {...created} tokenEndpoint={tokenEndpoint} apiBase={apiBase} onDone={() => setCreated(null)} />
      ) : null}
      <form
        ref={form}
        onSubmit={onSubmit}
        noValidate
        aria-label="New automation client"
        className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4"
      >
        {formError ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 p-3 text-sm text-red-800 sm:col-span-2 lg:col-span-4 dark:bg-red-950 dark:text-red-200"
          >
            {formError}
          </p>
        ) : null}
        <Field
          id="client_id"
          name="client_id"
          label="Client id"
          placeholder="ci-deployer"
          autoComplete="off"
          spellCheck={false}
          error={err("client_id")}
        />
        <Field id="name" name="name" label="Name" placeholder="Deploy pipeline" error={err("name")} />
        <div>
          <label htmlFor="role" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Role
          </label>
          <select
            id="role"
            name="role"
            value={role}
            onChange={(e) => setRole(e.target.value as AutomationRole | "")}
            className={`${selectClass} ${selectRing("role")}`}
            aria-invalid={err("role") ? true : undefined}
            aria-describedby={err("role") ? "role-error" : undefined}
          >
            <option value="">Choose a role</option>
            {AUTOMATION_ROLES.map((r) => (
              <option key={r} value={r}>
                {AUTOMATION_ROLE_LABELS[r]}
              </option>
            ))}
          </select>
          {err("role") ? (
            <p id="role-error" className="mt-1 text-sm text-red-600 dark:text-red-400">
              {err("role")}
            </p>
          ) : null}
        </div>
        {tenantRole ? (
          <div>
            <label htmlFor="tenant" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
              Tenant
            </label>
            <select
              id="tenant"
              name="tenant"
              defaultValue=""
              className={`${selectClass} ${selectRing("tenant")}`}
              aria-invalid={err("tenant") ? true : undefined}
              aria-describedby={err("tenant") ? "tenant-error" : undefined}
            >
              <option value="">Choose a tenant</option>
              {tenants.map((t) => (
                <option key={t.id} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </select>
            {err("tenant") ? (
              <p id="tenant-error" className="mt-1 text-sm text-red-600 dark:text-red-400">
                {err("tenant")}
              </p>
            ) : null}
          </div>
        ) : (
          <p className="self-end pb-2 text-sm text-muted">
            {role ? "Held in every tenant." : "Tenant roles apply in one tenant."}
          </p>
        )}
        <div className="flex items-center gap-3 sm:col-span-2 lg:col-span-4">
          <Button type="submit" disabled={pending}>
            {pending ? "Creating…" : "Create client"}
          </Button>
          <p className="text-xs text-muted">
            It gets admin-API tokens lasting {tokenLifetime}, with this role&apos;s permissions and nothing more.
          </p>
        </div>
      </form>
    </div>
  );
}
