"use client";

import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Button } from "./button";

/**
 * A modal that asks for a reason (and, for irreversible actions, for a typed confirmation) before
 * calling onConfirm. Errors from the action are shown inside it.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  tone = "primary",
  requireReason = true,
  typeToConfirm,
  onConfirm,
  onClose,
}: {
  open: boolean;
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  tone?: "primary" | "danger";
  requireReason?: boolean;
  typeToConfirm?: string;
  onConfirm: (reason: string) => Promise<string | null>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Several confirmations can be on one page (a table's and a dialog's): each names its own title.
  const titleId = useId();
  const [reason, setReason] = useState("");
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setReason("");
      setTyped("");
      setError(null);
      dialog.showModal();
    } else if (!open && dialog.open) dialog.close();
  }, [open]);

  const reasonOk = !requireReason || reason.trim().length >= 3;
  const typedOk = !typeToConfirm || typed === typeToConfirm;

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby={titleId}
      className="m-auto w-full max-w-md rounded-xl bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:bg-slate-900 dark:text-slate-100"
    >
      <form
        className="space-y-4 p-6"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!reasonOk) return setError("Give a reason of at least 3 characters.");
          if (!typedOk) return setError(`Type ${typeToConfirm} to confirm.`);
          setPending(true);
          const failure = await onConfirm(reason.trim());
          setPending(false);
          if (failure) setError(failure);
          else onClose();
        }}
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        {description ? <div className="text-sm text-slate-600 dark:text-slate-400">{description}</div> : null}
        {requireReason ? (
          <label className="block text-sm font-medium">
            Reason
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
              className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700"
            />
          </label>
        ) : null}
        {typeToConfirm ? (
          <label className="block text-sm font-medium">
            Type <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">{typeToConfirm}</code> to confirm
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700"
            />
          </label>
        ) : null}
        {error ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant={tone} disabled={pending || !reasonOk || !typedOk}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
