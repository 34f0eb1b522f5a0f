"use client";

import { useId, useState } from "react";

export interface Delegation {
  /** null: any agent of the tenant; a list: only these (none when empty). */
  mayDelegateTo: string[] | null;
}

/**
 * Who may act on the agent's tokens by token exchange: any agent of its tenant, or only those
 * chosen (none chosen means nobody). Controlled: the form sends the value it holds.
 */
export function DelegationFields({
  agents,
  value,
  onChange,
  error,
}: {
  agents: { id: string; name: string }[];
  value: string[] | null;
  onChange: (value: string[] | null) => void;
  error?: string;
}) {
  const id = useId();
  const [filter, setFilter] = useState("");
  const [lastList, setLastList] = useState<string[]>(value ?? []);
  const chosen = new Set(value ?? []);
  const shown = agents.filter((a) => a.name.toLowerCase().includes(filter.trim().toLowerCase()));
  const toggle = (agentId: string, on: boolean) => {
    const next = on ? [...(value ?? []), agentId] : (value ?? []).filter((v) => v !== agentId);
    setLastList(next);
    onChange(next);
  };
  return (
    <fieldset
      className="space-y-3 border-t border-slate-200 pt-5 dark:border-slate-800"
      aria-describedby={`${id}-hint`}
    >
      <legend className="float-left mb-1 text-sm font-semibold">Delegation</legend>
      <p id={`${id}-hint`} className="clear-left text-xs text-muted">
        Which agents may act on this agent's tokens by token exchange (RFC 8693). A change applies to tokens issued from
        now on.
      </p>
      <div className="space-y-1 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="delegation_mode"
            value="any"
            checked={value === null}
            onChange={() => onChange(null)}
            className="accent-indigo-600"
          />
          Any agent in this tenant
        </label>
        <label className="flex items-center gap-2">
          <input
            type="radio"
            name="delegation_mode"
            value="only"
            checked={value !== null}
            onChange={() => onChange(lastList)}
            className="accent-indigo-600"
          />
          Only these agents
        </label>
      </div>
      {value !== null ? (
        <div className="ml-6 space-y-2">
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter agents"
            aria-label="Filter agents"
            className="block w-full rounded-md bg-white px-3 py-1.5 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none sm:w-72 dark:bg-slate-900 dark:ring-slate-700"
          />
          <ul
            aria-label="Agents that may act on its tokens"
            className="max-h-56 space-y-1 overflow-y-auto rounded-md p-2 ring-1 ring-slate-200 dark:ring-slate-800"
          >
            {shown.length === 0 ? (
              <li className="text-sm text-muted">No other agents{filter ? " match" : " in this tenant"}.</li>
            ) : (
              shown.map((a) => (
                <li key={a.id}>
                  <label className="flex items-center gap-2 text-sm">
                    <input
                      type="checkbox"
                      checked={chosen.has(a.id)}
                      onChange={(e) => toggle(a.id, e.target.checked)}
                      className="accent-indigo-600"
                    />
                    {a.name}
                  </label>
                </li>
              ))
            )}
          </ul>
          <p className="text-xs text-muted" aria-live="polite">
            {chosen.size === 0
              ? "None chosen: no agent may act on its tokens."
              : `${chosen.size} ${chosen.size === 1 ? "agent" : "agents"} chosen.`}
          </p>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
