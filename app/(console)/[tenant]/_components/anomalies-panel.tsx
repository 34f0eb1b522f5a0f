"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { ActionMenu, type ActionMenuItem } from "@/components/ui/action-menu";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { type AnomalyGroup, auditHref, describeWindow, groupAnomalies, KIND_LABELS } from "@/lib/anomalies/group";
import { acknowledgeAnomalyAction, containAnomalyAction, dismissAnomalyAction } from "./anomaly-actions";

export interface PanelAnomaly {
  id: string;
  agent: { id: string; name: string; status: string };
  kind: string;
  severity: "low" | "medium" | "high";
  status: string;
  windowStart: string;
  windowEnd: string;
  observed: number;
  expected: number;
  detail: string;
}

type Group = AnomalyGroup<PanelAnomaly>;
type Act = "acknowledge" | "dismiss" | "suspend" | "kill";
type Pending = { group: Group; act: Act; returnTo: HTMLElement | null };

const TONE = { low: "amber", medium: "amber", high: "red" } as const;

const titleOf = (g: Group) => `${KIND_LABELS[g.kind] ?? g.kind} · ${g.agent.name}`;

function labels(g: Group): Record<Act, string> {
  return {
    acknowledge: "Acknowledge",
    dismiss: "Dismiss",
    // A suspended agent is contained already: the anomaly is only marked so.
    suspend: g.agent.status === "active" ? "Suspend agent" : "Mark contained",
    kill: "Kill switch",
  };
}

/** The one action a row offers on its face: contain a serious one, else triage it. */
function primaryOf(g: Group): Act {
  if (g.severity === "high" && g.agent.status === "active") return "suspend";
  return g.status === "open" ? "acknowledge" : "dismiss";
}

/**
 * Open anomalies, repeated ones of an agent and kind grouped into one row ("Owner has left ·
 * onboarding-guide · 3 days"), each with one action on its face and the others in a menu. An
 * action on a row acts on every anomaly in it.
 */
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
  const list = useRef<HTMLUListElement>(null);
  const groups = groupAnomalies(anomalies);
  if (!groups.length) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        No open anomalies. Every agent is within its usual range.
      </p>
    );
  }
  const ask = (group: Group, act: Act, returnTo: HTMLElement | null) => setPending({ group, act, returnTo });
  const close = () => {
    const back = pending?.returnTo;
    setPending(null);
    // Back to what opened the dialog; once its row is gone, to the list.
    requestAnimationFrame(() => (back?.isConnected ? back : list.current)?.focus());
  };
  return (
    <>
      <p role="status" className="mb-2 text-sm text-slate-700 empty:hidden dark:text-slate-300">
        {notice}
      </p>
      <ul
        ref={list}
        tabIndex={-1}
        className="divide-y divide-slate-100 outline-none dark:divide-slate-800"
        aria-label="Open anomalies"
      >
        {groups.map((g) => {
          const names = labels(g);
          const primary = primaryOf(g);
          const others: Act[] = (["acknowledge", "dismiss", "suspend", "kill"] as const).filter(
            (a) => a !== primary && !(a === "acknowledge" && g.status !== "open"),
          );
          const items: ActionMenuItem[] = [
            ...others.map((act) => ({
              // Each asks for a reason first.
              label: `${names[act]}…`,
              tone: act === "kill" ? ("danger" as const) : undefined,
              opensDialog: true,
              onSelect: (trigger: HTMLButtonElement | null) => ask(g, act, trigger),
            })),
            { label: "Open the agent", href: `/${tenantSlug}/agents/${g.agent.id}` },
          ];
          return (
            <li
              key={g.key}
              className="flex flex-wrap items-start justify-between gap-3 py-3"
              data-testid="anomaly"
              data-count={g.items.length}
            >
              <div className="min-w-0">
                <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                  <Badge tone={TONE[g.severity]}>{g.severity}</Badge>
                  <span>
                    {titleOf(g)} · <span className="font-normal text-slate-600 dark:text-slate-300">{g.span}</span>
                  </span>
                  {g.status === "acknowledged" ? <Badge tone="gray">acknowledged</Badge> : null}
                </p>
                <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
                  {g.latest.detail}
                  {g.items.length > 1 ? ` (the latest of ${g.items.length})` : ""}
                </p>
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                  {describeWindow(g.from, g.to)} ·{" "}
                  <Link
                    className="text-indigo-700 underline underline-offset-2 dark:text-indigo-300"
                    href={auditHref(tenantSlug, g)}
                    aria-label={`Audit events of ${g.agent.name}, ${describeWindow(g.from, g.to)}`}
                  >
                    audit events
                  </Link>
                </p>
              </div>
              {canAct ? (
                <div className="flex items-center gap-2">
                  <Button
                    variant="secondary"
                    onClick={(e) => ask(g, primary, e.currentTarget)}
                    aria-label={`${names[primary]}: ${titleOf(g)}`}
                  >
                    {names[primary]}
                  </Button>
                  <ActionMenu label={`More actions: ${titleOf(g)}`} items={items} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={!!pending}
        title={pending ? `${labels(pending.group)[pending.act]}: ${pending.group.agent.name}?` : ""}
        description={pending ? <Explanation pending={pending} /> : null}
        confirmLabel={pending ? labels(pending.group)[pending.act] : ""}
        tone={pending?.act === "suspend" || pending?.act === "kill" ? "danger" : "primary"}
        onClose={close}
        onConfirm={async (reason) => {
          if (!pending) return null;
          const { group, act } = pending;
          const ids = group.items.map((a) => a.id);
          const r =
            act === "acknowledge"
              ? await acknowledgeAnomalyAction(ids, reason)
              : act === "dismiss"
                ? await dismissAnomalyAction(ids, reason)
                : await containAnomalyAction(ids, act, reason);
          if (!r.ok) return r.error;
          const what = group.items.length > 1 ? `${group.items.length} anomalies` : "Anomaly";
          setNotice(
            act === "suspend" || act === "kill"
              ? `${group.agent.name} contained (${act === "kill" ? "kill switch" : group.agent.status === "active" ? "suspended" : "already suspended"}).`
              : `${what} ${act === "acknowledge" ? "acknowledged" : "dismissed"}: ${titleOf(group)}.`,
          );
          router.refresh();
          return null;
        }}
      />
    </>
  );
}

function Explanation({ pending: { group, act } }: { pending: Pending }) {
  const all =
    group.items.length > 1 ? ` This applies to all ${group.items.length} anomalies in this row (${group.span}).` : "";
  if (act === "suspend") {
    return (
      <p>
        {group.agent.status === "active"
          ? "The agent is suspended: its tokens stop working on the very next request. Resume it from its page."
          : "The agent is not active; the anomaly is marked contained."}
        {all}
      </p>
    );
  }
  if (act === "kill") {
    return <p>Every grant and token the agent holds, everywhere, is revoked and the agent is suspended.{all}</p>;
  }
  return (
    <p>
      {group.latest.detail}
      {all}
    </p>
  );
}
