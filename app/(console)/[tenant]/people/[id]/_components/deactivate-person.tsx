"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { HandoverDialog, handoverError } from "../../_components/handover-dialog";
import { deactivateUserAction, offboardingImpactAction, reactivateUserAction } from "../../actions";

/**
 * A leaver's offboarding in one step, its impact stated first ("Revokes 4 grants and 9 live
 * tokens; 2 agents lose their owner"), with the option to hand their agents to someone else.
 */
export function DeactivatePerson({ userId, name }: { userId: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [impact, setImpact] = useState<{ summary: string; agents: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  return (
    <>
      <Button
        variant="danger"
        onClick={async () => {
          setOpen(true);
          setImpact(null);
          setFailure(null);
          const r = await offboardingImpactAction(userId);
          if (r.ok) setImpact(r.data);
          else setFailure(r.error);
        }}
      >
        Deactivate
      </Button>
      <HandoverDialog
        open={open}
        title={`Deactivate ${name}?`}
        agents={impact?.agents ?? 0}
        transferLabel={`Hand their ${impact?.agents === 1 ? "agent" : `${impact?.agents} agents`} to (email; leave empty to flag ${impact?.agents === 1 ? "it" : "them"} orphaned)`}
        confirmLabel="Deactivate"
        pendingLabel="Deactivating…"
        ready={!!impact}
        onClose={() => setOpen(false)}
        onConfirm={async (input) => {
          const r = await deactivateUserAction(userId, input);
          if (!r.ok) return handoverError(r);
          router.refresh();
          return null;
        }}
      >
        <p className="text-sm font-medium" data-testid="offboarding-impact" aria-live="polite">
          {impact ? impact.summary : (failure ?? "Counting what this revokes…")}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          They can no longer sign in, anywhere. Every grant they gave is revoked with its tokens, so an agent acting for
          them is refused on its next request.
        </p>
      </HandoverDialog>
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
