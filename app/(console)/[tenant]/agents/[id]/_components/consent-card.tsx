"use client";

import { Power, ShieldOff } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatUtc } from "@/lib/format";
import type { AgentDetail } from "@/server/agents/get-agent";
import { RevokeDialog } from "../../../grants/_components/revoke-dialog";
import { restoreConsentAction, withdrawConsentAction } from "../../../grants/actions";

const n = (count: number, one: string, many: string) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

/** Who the agent acts for, and the tenant's consent to it (tenant owners withdraw and restore it). */
export function ConsentCard({
  tenantSlug,
  agent,
  summary,
  canWithdraw,
  canSeeGrants,
}: {
  tenantSlug: string;
  agent: Pick<AgentDetail, "id" | "name" | "consentWithdrawn">;
  summary: { grants: number; users: number; liveTokens: number };
  canWithdraw: boolean;
  canSeeGrants: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<"withdraw" | "restore" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 className="text-sm font-semibold">Grants and the tenant's consent</h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="agent-grant-summary">
            {n(summary.grants, "active grant", "active grants")} from {n(summary.users, "person", "people")} ·{" "}
            {n(summary.liveTokens, "live token", "live tokens")}.{" "}
            {canSeeGrants ? (
              <Link
                href={`/${tenantSlug}/agents/${agent.id}/grants`}
                className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
              >
                View grants
              </Link>
            ) : null}
          </p>
          {agent.consentWithdrawn ? (
            <p
              role="status"
              className="mt-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
            >
              The tenant's consent is withdrawn ({formatUtc(agent.consentWithdrawn.at)}, {agent.consentWithdrawn.by}:{" "}
              {agent.consentWithdrawn.reason}). The agent gets no consent, tokens or allowed decisions here until it is
              restored.
            </p>
          ) : null}
          {notice ? (
            <p role="status" className="mt-2 text-sm text-slate-700 dark:text-slate-300">
              {notice}
            </p>
          ) : null}
        </div>
        {canWithdraw ? (
          <div className="flex flex-wrap gap-2">
            {agent.consentWithdrawn ? (
              <Button variant="secondary" onClick={() => setOpen("restore")}>
                <Power className="size-4" aria-hidden /> Restore tenant consent
              </Button>
            ) : (
              <Button variant="secondary" onClick={() => setOpen("withdraw")}>
                <ShieldOff className="size-4" aria-hidden /> Withdraw tenant consent
              </Button>
            )}
          </div>
        ) : null}
      </div>
      <RevokeDialog
        target={open === "withdraw" ? { kind: "consent", agent: agent.id } : null}
        title={`Withdraw the tenant's consent from ${agent.name}?`}
        confirmLabel="Withdraw consent"
        warning="Every grant and token the agent holds in this tenant is revoked, and it can obtain neither new consent nor new tokens here until the consent is restored."
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          const r = await withdrawConsentAction(agent.id, reason);
          if (!r.ok) return r.error;
          setNotice(
            `Consent withdrawn: ${n(r.data.grants, "grant", "grants")} and ${n(r.data.tokens, "token", "tokens")} revoked.`,
          );
          router.refresh();
          return null;
        }}
      />
      <ConfirmDialog
        open={open === "restore"}
        title={`Restore the tenant's consent to ${agent.name}?`}
        description="The agent may ask people for consent and obtain tokens in this tenant again. Grants and tokens revoked by the withdrawal stay revoked."
        confirmLabel="Restore consent"
        onClose={() => setOpen(null)}
        onConfirm={async (reason) => {
          const r = await restoreConsentAction(agent.id, reason);
          if (!r.ok) return r.error;
          setNotice("Consent restored.");
          router.refresh();
          return null;
        }}
      />
    </Card>
  );
}
