"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { setAutoContainmentAction } from "../actions";

/** The tenant's optional rule: suspend an agent at once on a high-severity anomaly. */
export function AutoContainmentForm({
  tenantId,
  enabled,
  canWrite,
}: {
  tenantId: string;
  enabled: boolean;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div>
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          className="mt-0.5 size-4 accent-indigo-600"
          checked={enabled}
          disabled={!canWrite || busy}
          onChange={async (e) => {
            setBusy(true);
            const r = await setAutoContainmentAction(tenantId, e.target.checked);
            setBusy(false);
            setError(r.ok ? null : r.error);
            router.refresh();
          }}
        />
        <span>
          <span className="font-medium">Suspend an agent automatically on a high-severity anomaly</span>
          <span className="block text-slate-600 dark:text-slate-400">
            Its tokens stop working at once; the anomaly is marked contained by the rule, and someone resumes the agent
            after looking.
          </span>
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
