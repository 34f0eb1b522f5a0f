"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RiskBadge } from "@/components/ui/risk-badge";
import { setOpenScopesAction } from "../actions";

interface CatalogScope {
  name: string;
  description: string;
  risk: string;
}

/** The tenant's catalog as checkboxes: ticked scopes are open to clients not approved yet. */
export function OpenScopesForm({
  tenantId,
  catalog,
  open,
  canWrite,
}: {
  tenantId: string;
  catalog: CatalogScope[];
  open: string[];
  canWrite: boolean;
}) {
  const router = useRouter();
  const [ticked, setTicked] = useState(() => new Set(open));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const changed = ticked.size !== open.length || open.some((s) => !ticked.has(s));
  if (catalog.length === 0) return <p className="text-sm text-muted">This tenant's catalog has no scopes yet.</p>;
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        const r = await setOpenScopesAction(tenantId, [...ticked]);
        setBusy(false);
        setMessage(r.ok ? { ok: true, text: "Saved." } : { ok: false, text: r.fieldErrors?.scopes?.[0] ?? r.error });
        router.refresh();
      }}
    >
      <fieldset disabled={!canWrite || busy}>
        <legend className="sr-only">Scopes open to unapproved clients</legend>
        <ul className="grid gap-1 sm:grid-cols-2">
          {catalog.map((scope) => (
            <li key={scope.name}>
              <label className="flex items-start gap-2 rounded-md p-1.5 text-sm hover:bg-slate-50 dark:hover:bg-slate-800">
                <input
                  type="checkbox"
                  className="mt-0.5 size-4 accent-indigo-600"
                  checked={ticked.has(scope.name)}
                  onChange={(e) => {
                    const next = new Set(ticked);
                    if (e.target.checked) next.add(scope.name);
                    else next.delete(scope.name);
                    setTicked(next);
                    setMessage(null);
                  }}
                />
                <span className="min-w-0">
                  <span className="flex items-center gap-2">
                    <code className="font-mono text-xs font-medium">{scope.name}</code>
                    <RiskBadge risk={scope.risk.toLowerCase() as "low" | "medium" | "high"} />
                  </span>
                  {scope.description ? <span className="block text-xs text-muted">{scope.description}</span> : null}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      {canWrite ? (
        <div className="mt-3 flex items-center gap-3">
          <Button type="submit" disabled={busy || !changed}>
            {busy ? "Saving…" : "Save open scopes"}
          </Button>
          {message ? (
            <p
              role={message.ok ? "status" : "alert"}
              className={message.ok ? "text-sm text-muted" : "text-sm text-red-600"}
            >
              {message.text}
            </p>
          ) : null}
        </div>
      ) : (
        <p className="mt-3 text-xs text-muted">Only the tenant's owners and security admins change these.</p>
      )}
    </form>
  );
}
