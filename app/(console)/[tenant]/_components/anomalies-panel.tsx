"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { acknowledgeAnomalyAction, containAnomalyAction, dismissAnomalyAction } from "./anomaly-actions";

export interface PanelAnomaly {
  id: string;
  agent: { id: string; name: string };
  kind: string;
  severity: "low" | "medium" | "high";
  status: string;
  windowStart: string;
  observed: number;
  expected: number;
  detail: string;
}

const KIND_LABEL: Record<string, string> = {
  volume_spike: "Volume spike",
  denial_spike: "Denial spike",
  out_of_scope: "Out-of-scope attempts",
  new_source_ip: "New source address",
  outside_usual_hours: "Outside usual hours",
  owner_departed: "Owner has left",
};
const TONE = { low: "amber", medium: "amber", high: "red" } as const;

type Pending = { anomaly: PanelAnomaly; act: "acknowledge" | "dismiss" | "suspend" | "kill" };

/** Open anomalies, each with acknowledge, dismiss (with a reason) and one-click containment. */
export function AnomaliesPanel({
  tenantSlug,
  anomalies,
  canAct,
}: {
  tenantSlug: string;
  anomalies: PanelAnomaly[];
  canAct: boolean;
}) {
  const router = useRouter();
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (!anomalies.length) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        No open anomalies. Every agent is within its usual range.
      </p>
    );
  }
  const titles = {
    acknowledge: "Acknowledge",
    dismiss: "Dismiss",
    suspend: "Suspend the agent",
    kill: "Kill switch",
  } as const;
  return (
    <>
      {notice ? (
        <p role="status" className="mb-2 text-sm text-slate-700 dark:text-slate-300">
          {notice}
        </p>
      ) : null}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Open anomalies">
        {anomalies.map((a) => (
          <li key={a.id} className="flex flex-wrap items-start justify-between gap-3 py-3" data-testid="anomaly">
            <div className="min-w-0">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                <Badge tone={TONE[a.severity]}>{a.severity}</Badge>
                {KIND_LABEL[a.kind] ?? a.kind} · {a.agent.name}
                {a.status === "acknowledged" ? <Badge tone="gray">acknowledged</Badge> : null}
              </p>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">{a.detail}</p>
              <p className="mt-1 text-xs text-slate-500">
                {a.windowStart.slice(0, 16).replace("T", " ")} UTC ·{" "}
                <a
                  className="text-indigo-700 hover:underline dark:text-indigo-300"
                  href={`/${tenantSlug}/audit?agent=${a.agent.id}&from=${a.windowStart.slice(0, 10)}`}
                >
                  audit events
                </a>
              </p>
            </div>
            {canAct ? (
              <div className="flex flex-wrap gap-2">
                {a.status === "open" ? (
                  <Button variant="ghost" onClick={() => setPending({ anomaly: a, act: "acknowledge" })}>
                    Acknowledge
                  </Button>
                ) : null}
                <Button variant="ghost" onClick={() => setPending({ anomaly: a, act: "dismiss" })}>
                  Dismiss
                </Button>
                <Button variant="secondary" onClick={() => setPending({ anomaly: a, act: "suspend" })}>
                  Contain: suspend
                </Button>
                <Button variant="danger" onClick={() => setPending({ anomaly: a, act: "kill" })}>
                  Kill switch
                </Button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={!!pending}
        title={pending ? `${titles[pending.act]}: ${pending.anomaly.agent.name}?` : ""}
        description={
          pending?.act === "suspend"
            ? "The agent is suspended: its tokens stop working on the very next request. Resume it from its page."
            : pending?.act === "kill"
              ? "Every grant and token the agent holds, everywhere, is revoked and the agent is suspended."
              : pending?.anomaly.detail
        }
        confirmLabel={pending ? titles[pending.act] : ""}
        tone={pending?.act === "suspend" || pending?.act === "kill" ? "danger" : "primary"}
        onClose={() => setPending(null)}
        onConfirm={async (reason) => {
          if (!pending) return null;
          const { anomaly, act } = pending;
          const r =
            act === "acknowledge"
              ? await acknowledgeAnomalyAction(anomaly.id, reason)
              : act === "dismiss"
                ? await dismissAnomalyAction(anomaly.id, reason)
                : await containAnomalyAction(anomaly.id, act, reason);
          if (!r.ok) return r.error;
          setNotice(
            act === "suspend" || act === "kill"
              ? `${anomaly.agent.name} contained (${act === "kill" ? "kill switch" : "suspended"}).`
              : `Anomaly ${act === "acknowledge" ? "acknowledged" : "dismissed"}.`,
          );
          router.refresh();
          return null;
        }}
      />
    </>
  );
}
