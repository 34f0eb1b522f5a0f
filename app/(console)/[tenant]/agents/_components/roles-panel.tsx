"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { RiskBadge } from "@/components/ui/risk-badge";
import { assignRoleAction, removeRoleAction } from "../actions";

export function RolesPanel({
  agentId,
  roles,
  available,
  scopes,
  canWrite,
}: {
  agentId: string;
  roles: { id: string; name: string; global: boolean; scopes: string[] }[];
  available: { id: string; name: string }[];
  scopes: { name: string; description: string; risk: "low" | "medium" | "high"; via: string[] }[];
  canWrite: boolean;
}) {
  const router = useRouter();
  const [choice, setChoice] = useState("");
  const [error, setError] = useState<string | null>(null);
  const assignable = available.filter((r) => !roles.some((x) => x.id === r.id));
  return (
    <section
      aria-labelledby="roles-title"
      className="rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-5 py-3 dark:border-slate-800">
        <h2 id="roles-title" className="text-sm font-semibold">
          Roles and effective scopes
        </h2>
        {canWrite && assignable.length ? (
          <div className="flex gap-2">
            <select
              aria-label="Role to assign"
              value={choice}
              onChange={(e) => setChoice(e.target.value)}
              className="rounded-md bg-white py-1.5 pr-8 pl-2 text-sm ring-1 ring-slate-300 dark:bg-slate-950 dark:ring-slate-700"
            >
              <option value="">Choose a role</option>
              {assignable.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <Button
              disabled={!choice}
              onClick={async () => {
                const r = await assignRoleAction(agentId, choice);
                setError(r.ok ? null : r.error);
                setChoice("");
                router.refresh();
              }}
            >
              Assign
            </Button>
          </div>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="px-5 pt-3 text-sm text-red-600">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2 px-5 py-3">
        {roles.length === 0 ? (
          <p className="text-sm text-muted">No roles: this agent may not be granted any scope.</p>
        ) : null}
        {roles.map((r) => (
          <span
            key={r.id}
            className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-1 pr-1 pl-3 text-sm text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
          >
            {r.name}
            {canWrite ? (
              <button
                type="button"
                aria-label={`Remove role ${r.name}`}
                className="rounded-full px-1.5 hover:bg-indigo-100 dark:hover:bg-indigo-900"
                onClick={async () => {
                  const res = await removeRoleAction(agentId, r.id);
                  setError(res.ok ? null : res.error);
                  router.refresh();
                }}
              >
                ×
              </button>
            ) : null}
          </span>
        ))}
      </div>
      {scopes.length ? (
        <table className="w-full text-left text-sm" aria-label="Effective scopes">
          <thead className="text-xs text-muted uppercase">
            <tr>
              <th className="px-5 py-2 font-medium">Scope</th>
              <th className="px-5 py-2 font-medium">Risk</th>
              <th className="px-5 py-2 font-medium">Through</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {scopes.map((s) => (
              <tr key={s.name}>
                <td className="px-5 py-2">
                  <code className="font-mono text-xs">{s.name}</code>
                  <p className="text-xs text-muted">{s.description}</p>
                </td>
                <td className="px-5 py-2">
                  <RiskBadge risk={s.risk} />
                </td>
                <td className="px-5 py-2 text-slate-600 dark:text-slate-400">{s.via.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
