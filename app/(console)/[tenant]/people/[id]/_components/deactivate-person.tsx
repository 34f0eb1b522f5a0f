"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Modal } from "@/components/ui/modal";
import { deactivateUserAction, offboardingImpactAction, reactivateUserAction } from "../../actions";

/**
 * A leaver's offboarding in one step, its impact stated first ("Revokes 4 grants and 9 live
 * tokens; 2 agents lose their owner"), with the option to hand their agents to someone else.
 */
export function DeactivatePerson({ userId, name }: { userId: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [impact, setImpact] = useState<{ summary: string; agents: number } | null>(null);
  const [reason, setReason] = useState("");
  const [transferTo, setTransferTo] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <>
      <Button
        variant="danger"
        onClick={async () => {
          setOpen(true);
          setImpact(null);
          setError(null);
          setReason("");
          setTransferTo("");
          const r = await offboardingImpactAction(userId);
          if (r.ok) setImpact(r.data);
          else setError(r.error);
        }}
      >
        Deactivate
      </Button>
      <Modal open={open} title={`Deactivate ${name}?`} onClose={() => setOpen(false)} wide>
        <form
          className="space-y-4"
          onSubmit={async (e) => {
            e.preventDefault();
            setPending(true);
            const r = await deactivateUserAction(userId, {
              reason,
              ...(transferTo.trim() ? { transfer_agents_to: transferTo.trim() } : {}),
            });
            setPending(false);
            if (!r.ok) return setError(r.fieldErrors?.transfer_agents_to?.[0] ?? r.fieldErrors?.reason?.[0] ?? r.error);
            setOpen(false);
            router.refresh();
          }}
        >
          <p className="text-sm font-medium" data-testid="offboarding-impact" aria-live="polite">
            {impact ? impact.summary : "Counting what this revokes…"}
          </p>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            They can no longer sign in, anywhere. Every grant they gave is revoked with its tokens, so an agent acting
            for them is refused on its next request.
          </p>
          {impact?.agents ? (
            <label className="block text-sm font-medium">
              Hand their {impact.agents === 1 ? "agent" : `${impact.agents} agents`} to (email; leave empty to flag{" "}
              {impact.agents === 1 ? "it" : "them"} orphaned)
              <input
                type="email"
                value={transferTo}
                onChange={(e) => setTransferTo(e.target.value)}
                className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700"
              />
            </label>
          ) : null}
          <label className="block text-sm font-medium">
            Reason
            <textarea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              rows={2}
              className="mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm font-normal ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-950 dark:ring-slate-700"
            />
          </label>
          {error ? (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={pending || !impact || reason.trim().length < 3}>
              {pending ? "Deactivating…" : "Deactivate"}
            </Button>
          </div>
        </form>
      </Modal>
    </>
  );
}

export function ReactivatePerson({ userId, name }: { userId: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Reactivate
      </Button>
      <ConfirmDialog
        open={open}
        title={`Reactivate ${name}?`}
        description="They can sign in again with their roles. Grants revoked at deactivation stay revoked."
        confirmLabel="Reactivate"
        onClose={() => setOpen(false)}
        onConfirm={async (reason) => {
          const r = await reactivateUserAction(userId, reason);
          if (!r.ok) return r.error;
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
