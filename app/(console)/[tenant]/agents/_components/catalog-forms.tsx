"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { RISKS } from "@/lib/schemas/catalog";
import {
  createRoleAction,
  createScopeAction,
  deleteRoleAction,
  deleteScopeAction,
  updateRoleAction,
  updateScopeAction,
} from "../catalog-actions";

const select =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700";

function useSubmit(
  run: (form: FormData) => Promise<{ ok: boolean; error?: string; fieldErrors?: Record<string, string[]> }>,
  { reset = true, onSaved }: { reset?: boolean; onSaved?: () => void } = {},
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
    if (reset) formEl.reset();
    onSaved?.();
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
      <RiskSelect id="scope-risk" defaultValue="low" />
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
  role,
  onSaved,
}: {
  tenantSlug: string;
  scopes: { id: string; name: string }[];
  canGlobal: boolean;
  /** Given when editing an existing role. */
  role?: { id: string; name: string; description: string; scopeIds: string[] };
  onSaved?: () => void;
}) {
  const { errors, error, onSubmit } = useSubmit(
    (f) =>
      role
        ? updateRoleAction(role.id, {
            name: f.get("name"),
            description: f.get("description"),
            scopes: f.getAll("scopes"),
          })
        : createRoleAction({
            name: f.get("name"),
            description: f.get("description"),
            scopes: f.getAll("scopes"),
            tenant: f.get("global") === "on" ? null : tenantSlug,
          }),
    { reset: !role, onSaved },
  );
  const prefix = role ? `role-${role.id}` : "role";
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={role ? `Edit role ${role.name}` : "New role"}
      className="space-y-3"
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          id={`${prefix}-name`}
          name="name"
          label="Name"
          placeholder="Invoice clerk"
          defaultValue={role?.name}
          error={errors.name?.[0]}
        />
        <Field
          id={`${prefix}-description`}
          name="description"
          label="Description"
          defaultValue={role?.description}
          error={errors.description?.[0]}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {scopes.map((s) => (
            <label key={s.id} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={s.id}
                defaultChecked={role?.scopeIds.includes(s.id)}
                className="accent-indigo-600"
              />
              <code className="text-xs">{s.name}</code>
            </label>
          ))}
        </div>
        {errors.scopes ? <p className="mt-1 text-sm text-red-600">{errors.scopes[0]}</p> : null}
      </fieldset>
      <div className="flex items-center gap-4">
        {canGlobal && !role ? (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="global" className="accent-indigo-600" /> Global (every tenant)
          </label>
        ) : null}
        <Button type="submit">{role ? "Save role" : "Add role"}</Button>
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

/** Description and risk of an existing scope; its name is what policies and grants refer to. */
export function ScopeEditForm({
  scope,
  onSaved,
}: {
  scope: { id: string; name: string; description: string; risk: string };
  onSaved?: () => void;
}) {
  const { errors, error, onSubmit } = useSubmit(
    (f) => updateScopeAction(scope.id, { description: f.get("description"), risk: f.get("risk") }),
    { reset: false, onSaved },
  );
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={`Edit scope ${scope.name}`}
      className="flex flex-wrap items-end gap-3 py-2"
    >
      <Field
        id={`scope-${scope.id}-description`}
        name="description"
        label="Description"
        defaultValue={scope.description}
        error={errors.description?.[0]}
        className="min-w-64 flex-1"
      />
      <RiskSelect id={`scope-${scope.id}-risk`} defaultValue={scope.risk} />
      <Button type="submit">Save scope</Button>
      {error ? (
        <p role="alert" className="w-full text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}

/** An "Edit" button that opens its form in a modal, closed once the form saves. */
function EditDialog({ title, children }: { title: string; children: (close: () => void) => ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const d = ref.current;
    if (open && d && !d.open) d.showModal();
    if (!open && d?.open) d.close();
  }, [open]);
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={title}>
        Edit
      </Button>
      <dialog
        ref={ref}
        onClose={() => setOpen(false)}
        aria-label={title}
        className="m-auto w-full max-w-2xl rounded-xl bg-white p-6 text-left text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="mb-4 flex items-center justify-between">
          <h2 className="text-lg font-semibold">{title}</h2>
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Close
          </Button>
        </div>
        {open ? children(() => setOpen(false)) : null}
      </dialog>
    </>
  );
}

export function EditRoleButton(
  props: Omit<Parameters<typeof RoleForm>[0], "onSaved"> & {
    role: NonNullable<Parameters<typeof RoleForm>[0]["role"]>;
  },
) {
  return (
    <EditDialog title={`Edit role ${props.role.name}`}>{(close) => <RoleForm {...props} onSaved={close} />}</EditDialog>
  );
}

export function EditScopeButton({ scope }: { scope: Parameters<typeof ScopeEditForm>[0]["scope"] }) {
  return (
    <EditDialog title={`Edit scope ${scope.name}`}>
      {(close) => <ScopeEditForm scope={scope} onSaved={close} />}
    </EditDialog>
  );
}

function RiskSelect({ id, defaultValue }: { id: string; defaultValue: string }) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        Risk
      </label>
      <select id={id} name="risk" className={select} defaultValue={defaultValue}>
        {RISKS.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </div>
  );
}
