"use client";

import clsx from "clsx";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDate, formatUtc } from "@/lib/format";
import { AUTOMATION_ROLE_LABELS, type AutomationRole } from "@/lib/schemas/automation";
import type { AutomationClientRow } from "@/server/automation/automation-clients";
import { revokeAutomationClientAction } from "../actions";

const ROLE_TONE = {
  security_admin: "amber",
  auditor: "gray",
  tenant_owner: "indigo",
  tenant_auditor: "gray",
  member: "gray",
} as const;

// The role's name alone: where it applies is said under it.
const ROLE_SHORT = Object.fromEntries(
  Object.entries(AUTOMATION_ROLE_LABELS).map(([role, label]) => [role, label.replace(/ \(every tenant\)$/, "")]),
) as Record<AutomationRole, string>;

const HEADERS = ["Client", "Role", "Secret", "Last used", "Live tokens", "Created", "Status"];

/** A timestamp on two short lines (date, then time) to keep the table narrow. */
function When({ at }: { at: Date | null }) {
  if (!at) return <>Never</>;
  const [date, time] = formatUtc(at).split(" ");
  return (
    <>
      {date}
      <span className="block text-xs text-muted">{time} UTC</span>
    </>
  );
}

export function ClientsTable({ clients }: { clients: AutomationClientRow[] }) {
  const router = useRouter();
  const [revoking, setRevoking] = useState<AutomationClientRow | null>(null);
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" aria-label="Automation clients">
        <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
          <tr>
            {HEADERS.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
            <th scope="col" className="px-3 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {clients.map((c) => (
            <tr key={c.id} data-testid="automation-client-row" className={clsx(c.revokedAt && "text-muted")}>
              <td className="px-3 py-2.5">
                <code className="font-mono text-xs font-medium whitespace-nowrap">{c.clientId}</code>
                <p className="text-xs text-muted">{c.name}</p>
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap">
                <Badge tone={c.revokedAt ? "gray" : ROLE_TONE[c.role]}>{ROLE_SHORT[c.role]}</Badge>
                <p className="mt-0.5 text-xs text-muted">{c.tenant ? `in ${c.tenant.name}` : "every tenant"}</p>
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap">
                <code className="font-mono text-xs">{c.secretPrefix}</code>
              </td>
              <td className="px-3 py-2.5 whitespace-nowrap text-slate-600 dark:text-slate-400">
                <When at={c.lastUsedAt} />
              </td>
              <td className="px-3 py-2.5 tabular-nums">{c.liveTokens.toLocaleString("en")}</td>
              <td className="px-3 py-2.5 whitespace-nowrap text-slate-600 dark:text-slate-400">
                {formatDate(c.createdAt)}
                <p className="text-xs text-muted">by {c.createdByLabel}</p>
              </td>
              <td className="px-3 py-2.5">
                {c.revokedAt ? (
                  <span title={`Revoked ${formatUtc(c.revokedAt)}`}>
                    <Badge tone="red">Revoked</Badge>
                  </span>
                ) : (
                  <Badge tone="green">Active</Badge>
                )}
              </td>
              <td className="px-3 py-2.5 text-right">
                {c.revokedAt ? null : (
                  <Button variant="ghost" onClick={() => setRevoking(c)} aria-label={`Revoke ${c.clientId}`}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ConfirmDialog
        open={!!revoking}
        title={`Revoke ${revoking?.clientId ?? ""}?`}
        description={revoking ? revokeWarning(revoking.liveTokens) : ""}
        confirmLabel="Revoke client"
        tone="danger"
        onClose={() => setRevoking(null)}
        onConfirm={async (reason) => {
          if (!revoking) return null;
          const r = await revokeAutomationClientAction(revoking.id, reason);
          if (!r.ok) return r.fieldErrors?.reason?.[0] ?? r.error;
          router.refresh();
          return null;
        }}
      />
    </div>
  );
}

function revokeWarning(liveTokens: number): string {
  const now =
    liveTokens === 0
      ? "It holds no live tokens."
      : liveTokens === 1
        ? "Its live token stops working at once."
        : `Its ${liveTokens} live tokens stop working at once.`;
  return `${now} It can never get a token again: create a new client to replace it.`;
}
