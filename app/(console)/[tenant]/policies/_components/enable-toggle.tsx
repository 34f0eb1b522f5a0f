"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { setPolicyEnabledAction } from "../actions";

/** Turns a policy on or off, as a new version with the reason as its note. */
export function EnableToggle({
  policy,
}: {
  policy: { id: string; name: string; enabled: boolean; effect: string; global: boolean };
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const verb = policy.enabled ? "Disable" : "Enable";
  const where = policy.global ? "in every tenant" : "in this tenant";
  const effect = policy.enabled
    ? policy.effect === "forbid"
      ? `What it forbids is no longer forbidden ${where}, from the next decision.`
      : `Agents lose what it permits ${where}, from the next decision, unless another policy permits it.`
    : policy.effect === "forbid"
      ? `What it forbids is forbidden ${where} again, from the next decision.`
      : `It permits again ${where}, from the next decision.`;
  return (
    <>
      <Button variant={policy.enabled ? "danger" : "primary"} onClick={() => setOpen(true)}>
        {verb}
      </Button>
      <ConfirmDialog
        open={open}
        title={`${verb} ${policy.name}?`}
        description={effect}
        confirmLabel={verb}
        tone={policy.enabled ? "danger" : "primary"}
        onClose={() => setOpen(false)}
        onConfirm={async (reason) => {
          const result = await setPolicyEnabledAction(policy.id, !policy.enabled, reason.slice(0, 500));
          if (!result.ok) return result.error;
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
