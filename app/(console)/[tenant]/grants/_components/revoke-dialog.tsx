"use client";

import { useEffect, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeImpact, type RevocationTarget } from "@/lib/schemas/grants";
import { previewRevocationAction } from "../actions";

/**
 * The confirmation every revocation goes through: it states what will be revoked, counted by the
 * server for this target just now ("Revokes 3 grants and 41 live tokens for 3 users."), and asks
 * for a reason. The count is a preview: the revocation itself revokes whatever is live when it runs.
 */
export function RevokeDialog({
  target,
  title,
  confirmLabel,
  warning,
  onConfirm,
  onClose,
}: {
  /** null: closed. */
  target: RevocationTarget | null;
  title: string;
  confirmLabel: string;
  warning?: string;
  onConfirm: (reason: string) => Promise<string | null>;
  onClose: () => void;
}) {
  const [impact, setImpact] = useState<{ text: string; failed: boolean } | null>(null);
  const key = target ? JSON.stringify(target) : null;

  useEffect(() => {
    if (!key) return;
    let live = true;
    setImpact(null);
    previewRevocationAction(JSON.parse(key)).then((result) => {
      if (!live) return;
      setImpact(
        result.ok ? { text: describeImpact(result.data), failed: false } : { text: result.error, failed: true },
      );
    });
    return () => {
      live = false;
    };
  }, [key]);

  return (
    <ConfirmDialog
      open={!!target}
      title={title}
      tone="danger"
      confirmLabel={confirmLabel}
      description={
        <div className="space-y-2">
          <p
            data-testid="revocation-impact"
            aria-live="polite"
            className={
              impact?.failed ? "text-red-600 dark:text-red-400" : "font-medium text-slate-900 dark:text-slate-100"
            }
          >
            {impact?.text ?? "Counting what this revokes…"}
          </p>
          {warning ? <p>{warning}</p> : null}
        </div>
      }
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}
