"use client";

import { ImpactConfirmDialog } from "@/components/ui/impact-confirm-dialog";
import { describeImpact, type RevocationTarget } from "@/lib/schemas/grants";
import { previewRevocationAction } from "../actions";

/**
 * The confirmation every grant revocation goes through: it states what will be revoked, counted by
 * the server for this target just now ("Revokes 3 grants and 41 live tokens for 3 users."), and
 * asks for a reason.
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
  return (
    <ImpactConfirmDialog
      target={target ? JSON.stringify(target) : null}
      preview={async (key) => {
        const result = await previewRevocationAction(JSON.parse(key));
        return result.ok ? { ok: true, data: describeImpact(result.data) } : result;
      }}
      title={title}
      confirmLabel={confirmLabel}
      warning={warning}
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}
