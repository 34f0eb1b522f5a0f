"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import type { ActionResult } from "@/lib/action-result";

/**
 * A tenant setting that is on or off: shown changed at once, saved by its action, put back with
 * the reason if the change is refused.
 */
export function CheckboxSetting({
  checked,
  canWrite,
  save,
  label,
  children,
}: {
  checked: boolean;
  canWrite: boolean;
  save: (next: boolean) => Promise<ActionResult>;
  label: string;
  children: ReactNode;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [on, setOn] = useState(checked);
  return (
    <div>
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-indigo-600"
          checked={on}
          disabled={!canWrite || busy}
          onChange={async (e) => {
            const next = e.target.checked;
            setOn(next);
            setBusy(true);
            const r = await save(next);
            setBusy(false);
            if (!r.ok) setOn(!next);
            setError(r.ok ? null : r.error);
            router.refresh();
          }}
        />
        <span>
          <span className="font-medium">{label}</span>
          <span className="block text-slate-600 dark:text-slate-400">{children}</span>
        </span>
      </label>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
