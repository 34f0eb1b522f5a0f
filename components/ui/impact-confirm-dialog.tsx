"use client";

import { type ReactNode, useEffect, useRef, useState } from "react";
import type { ActionResult } from "@/lib/action-result";
import { ConfirmDialog } from "./confirm-dialog";

/**
 * A confirmation that first states what it will take with it ("Revokes 3 grants and 41 live
 * tokens."), counted by the server when it opens, then asks for a reason. The count is a preview:
 * the action itself acts on whatever is live when it runs.
 */
export function ImpactConfirmDialog({
  target,
  preview,
  title,
  confirmLabel,
  warning,
  onConfirm,
  onClose,
}: {
  /** What the preview is of, as a string that changes when the target does; null: closed. */
  target: string | null;
  /** The sentence for the target, or the refusal to show instead. */
  preview: (target: string) => Promise<ActionResult<string>>;
  title: string;
  confirmLabel: string;
  warning?: ReactNode;
  onConfirm: (reason: string) => Promise<string | null>;
  onClose: () => void;
}) {
  const [impact, setImpact] = useState<{ text: string; failed: boolean } | null>(null);
  // The latest preview function, without making each render's new one restart the count.
  const previewRef = useRef(preview);
  previewRef.current = preview;

  useEffect(() => {
    if (!target) return;
    let current = true;
    setImpact(null);
    previewRef.current(target).then((result) => {
      if (!current) return;
      setImpact(result.ok ? { text: result.data, failed: false } : { text: result.error, failed: true });
    });
    return () => {
      current = false;
    };
  }, [target]);

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
