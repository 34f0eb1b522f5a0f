"use client";

import { type ReactNode, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Modal } from "@/components/ui/modal";

const inputClass =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700";

/**
 * Taking someone's access away (deactivation, removal from a tenant): what it does, who takes their
 * agents over (when they own any), and a reason. Errors from the action are shown inside.
 */
export function HandoverDialog({
  open,
  title,
  children,
  agents,
  transferLabel,
  confirmLabel,
  pendingLabel,
  ready = true,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  /** Agents they own: the hand-over field shows when there are any. */
  agents: number;
  transferLabel: string;
  confirmLabel: string;
  pendingLabel: string;
  /** False while the impact is still being counted. */
  ready?: boolean;
  onConfirm: (input: { reason: string; transfer_agents_to?: string }) => Promise<string | null>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState("");
  const [transferTo, setTransferTo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  useEffect(() => {
    if (!open) return;
    setReason("");
    setTransferTo("");
    setError(null);
  }, [open]);
  return (
    <Modal open={open} title={title} onClose={onClose} wide>
      <form
        className="space-y-4 text-left"
        onSubmit={async (e) => {
          e.preventDefault();
          setPending(true);
          const failure = await onConfirm({
            reason,
            ...(transferTo.trim() ? { transfer_agents_to: transferTo.trim() } : {}),
          });
          setPending(false);
          if (failure) setError(failure);
          else onClose();
        }}
      >
        {children}
        {agents ? (
          <label className="block text-sm font-medium">
            {transferLabel}
            <input
              type="email"
              value={transferTo}
              onChange={(e) => setTransferTo(e.target.value)}
              className={inputClass}
            />
          </label>
        ) : null}
        <label className="block text-sm font-medium">
          Reason
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} className={inputClass} />
        </label>
        {error ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={pending || !ready || reason.trim().length < 3}>
            {pending ? pendingLabel : confirmLabel}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** The action's error for the dialog: the field at fault first, else its sentence. */
export function handoverError(r: { error: string; fieldErrors?: Record<string, string[]> }): string {
  return r.fieldErrors?.transfer_agents_to?.[0] ?? r.fieldErrors?.reason?.[0] ?? r.error;
}
