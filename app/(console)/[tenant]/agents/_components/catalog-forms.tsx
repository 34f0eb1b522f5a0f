"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { RISKS } from "@/lib/schemas/catalog";
import { createRoleAction, createScopeAction, deleteRoleAction, deleteScopeAction } from "../catalog-actions";

const select =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

function useSubmit(
  run: (form: FormData) => Promise<{ ok: boolean; error?: string; fieldErrors?: Record<string, string[]> }>,
) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const r = await run(new FormData(formEl));
    if (!r.ok) {
      setErrors(r.fieldErrors ?? {});
      setError(r.error ?? null);
      return;
    }
    setErrors({});
    setError(null);
    formEl.reset();
    router.refresh();
  };
  return { errors, error, onSubmit };
}

export function ScopeForm({ tenantSlug, canGlobal }: { tenantSlug: string; canGlobal: boolean }) {
  const { errors, error, onSubmit } = useSubmit((f) =>
    createScopeAction({
      name: f.get("name"),
      description: f.get("description"),
      risk: f.get("risk"),
      tenant: f.get("global") === "on" ? null : tenantSlug,
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New scope" className="grid gap-3 sm:grid-cols-4 sm:items-start">
      <Field id="scope-name" name="name" label="Name" placeholder="crm.notes.write" error={errors.name?.[0]} />
      <Field id="scope-description" name="description" label="Description" error={errors.description?.[0]} />
      <div>
        <label htmlFor="scope-risk" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          Risk
        </label>
        <select id="scope-risk" name="risk" className={select} defaultValue="low">
          {RISKS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-2 pt-6">
        {canGlobal ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="global" className="accent-indigo-600" /> Global (every tenant)
          </label>
        ) : null}
        <Button type="submit">Add scope</Button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600 sm:col-span-4">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function RoleForm({
  tenantSlug,
  scopes,
  canGlobal,
}: {
  tenantSlug: string;
  scopes: { id: string; name: string }[];
  canGlobal: boolean;
}) {
  const { errors, error, onSubmit } = useSubmit((f) =>
    createRoleAction({
      name: f.get("name"),
      description: f.get("description"),
      scopes: f.getAll("scopes"),
      tenant: f.get("global") === "on" ? null : tenantSlug,
    }),
  );
  return (
    <form onSubmit={onSubmit} noValidate aria-label="New role" className="space-y-3">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="role-name" name="name" label="Name" placeholder="Invoice clerk" error={errors.name?.[0]} />
        <Field id="role-description" name="description" label="Description" error={errors.description?.[0]} />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {scopes.map((s) => (
            <label key={s.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="scopes" value={s.id} className="accent-indigo-600" />
              <code className="text-xs">{s.name}</code>
            </label>
          ))}
        </div>
        {errors.scopes ? <p className="mt-1 text-sm text-red-600">{errors.scopes[0]}</p> : null}
      </fieldset>
      <div className="flex items-center gap-4">
        {canGlobal ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="global" className="accent-indigo-600" /> Global (every tenant)
          </label>
        ) : null}
        <Button type="submit">Add role</Button>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}

export function DeleteButton({ kind, id, name }: { kind: "scope" | "role"; id: string; name: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      {error ? <span className="text-xs text-red-600">{error}</span> : null}
      <Button
        variant="ghost"
        aria-label={`Delete ${kind} ${name}`}
        onClick={async () => {
          if (!window.confirm(`Delete the ${kind} ${name}?`)) return;
          const r = kind === "scope" ? await deleteScopeAction(id) : await deleteRoleAction(id);
          setError(r.ok ? null : r.error);
          router.refresh();
        }}
      >
        Delete
      </Button>
    </span>
  );
}
