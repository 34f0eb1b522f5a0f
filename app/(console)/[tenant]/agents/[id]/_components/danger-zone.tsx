"use client";

import { Archive, Ban } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RevokeDialog } from "../../../grants/_components/revoke-dialog";
import { killAgentAction } from "../../../grants/actions";
import { transitionAgentAction } from "../../actions";

const n = (count: number, one: string, many: string) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

/**
 * What cannot simply be undone, set apart: the kill switch (everything the agent holds revoked,
 * its credentials too, and suspended: it comes back only with a new credential) and retirement
 * (final).
 */
export function DangerZone({
  agent,
  canKill,
  canRetire,
}: {
  agent: { id: string; name: string; status: string };
  canKill: boolean;
  canRetire: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<"kill" | "retire" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!canKill && !canRetire) return null;
  return (
    <section
      aria-labelledby="danger-title"
      className="mt-6 rounded-xl border border-red-300 bg-white p-5 dark:border-red-900 dark:bg-slate-900"
    >
      <h2 id="danger-title" className="text-sm font-semibold text-red-700 dark:text-red-300">
        Danger zone
      </h2>
      {notice ? (
        <p role="status" className="mt-2 text-sm text-slate-700 dark:text-slate-300">
          {notice}
        </p>
      ) : null}
      <div className="mt-3 divide-y divide-slate-100 dark:divide-slate-800">
        {canKill ? (
          <div className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="max-w-xl text-sm">
              <p className="font-medium">Kill switch</p>
              <p className="text-slate-600 dark:text-slate-400">
                Revokes every grant, token and credential the agent holds, everywhere, and suspends it. To bring it
                back, its owner issues a new credential and resumes it.
              </p>
            </div>
            <Button variant="danger" onClick={() => setOpen("kill")}>
              <Ban className="size-4" aria-hidden /> Kill switch
            </Button>
          </div>
        ) : null}
        {canRetire ? (
          <div className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="max-w-xl text-sm">
              <p className="font-medium">Retire</p>
              <p className="text-slate-600 dark:text-slate-400">
                Final: the agent can never get a token again, and everything it holds is revoked. Its history stays on
                record.
              </p>
            </div>
            <Button variant="danger" onClick={() => setOpen("retire")}>
              <Archive className="size-4" aria-hidden /> Retire
            </Button>
          </div>
        ) : null}
      </div>
      <RevokeDialog
        target={open === "kill" ? { kind: "kill", agent: agent.id } : null}
        title={`Kill ${agent.name}?`}
        confirmLabel="Revoke everything and suspend"
        warning="Every grant, token and credential the agent holds, everywhere, is revoked and the agent is suspended; its open anomalies are contained. It comes back only with a new credential."
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          const r = await killAgentAction(agent.id, reason);
          if (!r.ok) return r.error;
          setNotice(
            `Killed: ${n(r.data.grants, "grant", "grants")}, ${n(r.data.tokens, "token", "tokens")} and ${n(r.data.credentials, "credential", "credentials")} revoked${r.data.suspended ? ", agent suspended" : ""}.`,
          );
          router.refresh();
          return null;
        }}
      />
      <ConfirmDialog
        open={open === "retire"}
        title={`Retire ${agent.name}?`}
        description="Retirement is final: the agent can never get a token again. Its history stays on record."
        confirmLabel="Retire"
        tone="danger"
        typeToConfirm={agent.name}
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          const r = await transitionAgentAction(agent.id, "retire", reason);
          if (!r.ok) return r.error;
          router.refresh();
          return null;
        }}
      />
    </section>
  );
}
