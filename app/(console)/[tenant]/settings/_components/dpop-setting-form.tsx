"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { updateTenantSettingsAction } from "../actions";

/** The tenant's rule: every agent's access tokens must be bound to a key (DPoP, RFC 9449). */
export function DpopSettingForm({
  tenantId,
  required,
  canWrite,
}: {
  tenantId: string;
  required: boolean;
  canWrite: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Shown at once; put back if the change is refused.
  const [on, setOn] = useState(required);
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
            const r = await updateTenantSettingsAction(tenantId, { dpop_required: next });
            setBusy(false);
            if (!r.ok) setOn(!next);
            setError(r.ok ? null : r.error);
            router.refresh();
          }}
        />
        <span>
          <span className="font-medium">Require DPoP-bound tokens of every agent</span>
          <span className="block text-slate-600 dark:text-slate-400">
            Token requests without a DPoP proof are refused, and decisions deny tokens that are not bound to a key, from
            the next request. Agents can also be required to one by one.
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
