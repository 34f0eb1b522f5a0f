"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deactivateUserAction } from "../actions";

/** Security admins deactivate an account: sign-in stops at once and owned agents become orphaned. */
export function DeactivateButton({ userId, name }: { userId: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)} aria-label={`Deactivate ${name}`}>
        Deactivate
      </Button>
      <ConfirmDialog
        open={open}
        title={`Deactivate ${name}?`}
        description="They can no longer sign in, in any tenant, and their current session ends. Agents they own are flagged orphaned for reassignment."
        confirmLabel="Deactivate"
        tone="danger"
        onClose={() => setOpen(false)}
        onConfirm={async (reason) => {
          const r = await deactivateUserAction(userId, reason);
          if (!r.ok) return r.error;
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
