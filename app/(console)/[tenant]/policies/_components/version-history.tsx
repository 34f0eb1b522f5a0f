"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatUtc } from "@/lib/format";
import { rollbackPolicyAction } from "../actions";
import { PolicyDiff, type VersionSnapshot } from "./policy-diff";

export interface VersionRow extends VersionSnapshot {
  note: string;
  createdByLabel: string;
  createdAt: Date;
}

/** Every version, newest first; each can be compared with the one before it, or restored as a new version. */
export function VersionHistory({
  policyId,
  versions,
  canWrite,
}: {
  policyId: string;
  versions: VersionRow[];
  canWrite: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [rollback, setRollback] = useState<VersionRow | null>(null);
  const current = versions[0]?.version;

  function toggle(version: number) {
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(version)) next.delete(version);
      else next.add(version);
      return next;
    });
  }

  return (
    <Card>
      <h2 className="mb-3 text-sm font-semibold">Version history</h2>
      <ol aria-label="Version history" className="divide-y divide-slate-100 dark:divide-slate-800">
        {versions.map((v, i) => {
          const previous = versions[i + 1];
          return (
            <li key={v.version} data-testid="policy-version" data-version={v.version} className="py-3 first:pt-0">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                    Version {v.version}
                    {v.version === current ? <Badge tone="indigo">current</Badge> : null}
                    {v.enabled ? null : <Badge>disabled</Badge>}
                  </p>
                  <p className="text-sm text-slate-700 dark:text-slate-300">{v.note || "No note."}</p>
                  <p className="text-xs text-muted">
                    {formatUtc(v.createdAt)} · {v.createdByLabel}
                  </p>
                </div>
                <div className="flex flex-wrap gap-2">
                  {previous ? (
                    <Button
                      variant="ghost"
                      aria-expanded={open.has(v.version)}
                      aria-label={`${open.has(v.version) ? "Hide" : "View"} diff of version ${v.version}`}
                      onClick={() => toggle(v.version)}
                    >
                      {open.has(v.version) ? "Hide diff" : "View diff"}
                    </Button>
                  ) : null}
                  {canWrite && v.version !== current ? (
                    <Button
                      variant="secondary"
                      aria-label={`Roll back to version ${v.version}`}
                      onClick={() => setRollback(v)}
                    >
                      Roll back to this version
                    </Button>
                  ) : null}
                </div>
              </div>
              {previous && open.has(v.version) ? <PolicyDiff before={previous} after={v} /> : null}
            </li>
          );
        })}
      </ol>
      <ConfirmDialog
        open={rollback !== null}
        title={rollback ? `Roll back to version ${rollback.version}?` : ""}
        description={
          rollback
            ? `Version ${rollback.version}'s text, name, description and ${rollback.enabled ? "enabled" : "disabled"} state become version ${(current ?? 0) + 1}, and apply to the next decision. The history keeps every version.`
            : null
        }
        confirmLabel="Roll back"
        onClose={() => setRollback(null)}
        onConfirm={async (reason) => {
          if (!rollback) return null;
          const note = `Rolled back to version ${rollback.version}: ${reason}`.slice(0, 500);
          const result = await rollbackPolicyAction(policyId, rollback.version, note);
          if (!result.ok) return result.fieldErrors?.version?.[0] ?? result.error;
          router.refresh();
          return null;
        }}
      />
    </Card>
  );
}
