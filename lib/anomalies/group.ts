// Repeated anomalies of one agent and kind are one row on the Overview ("Owner has left ·
// onboarding-guide · 3 days"): the same leaver's agent at work every day, or the same spike
// recurring, is one thing to act on, not a screenful.

import { DAY_MS, HOUR_MS, type Severity } from "./detect";

export const KIND_LABELS: Record<string, string> = {
  volume_spike: "Volume spike",
  denial_spike: "Denial spike",
  out_of_scope: "Out-of-scope attempts",
  new_source_ip: "New source address",
  outside_usual_hours: "Outside usual hours",
  owner_departed: "Owner has left",
};

export interface Groupable {
  id: string;
  agent: { id: string; name: string };
  kind: string;
  severity: Severity;
  status: string;
  /** ISO 8601. */
  windowStart: string;
  windowEnd: string;
}

export interface AnomalyGroup<T extends Groupable> {
  key: string;
  agent: T["agent"];
  kind: string;
  /** The worst of the group's. */
  severity: Severity;
  /** Open while any of them is; acknowledged once all are. */
  status: "open" | "acknowledged";
  /** Newest window first. */
  items: T[];
  latest: T;
  /** From the earliest window's start to the latest one's end. */
  from: string;
  to: string;
  /** "3 days", "1 hour": how many windows, in the windows' own unit. */
  span: string;
}

const RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

function spanOf(items: readonly Groupable[]): string {
  const ms = Date.parse(items[0].windowEnd) - Date.parse(items[0].windowStart);
  const [one, many] = ms >= DAY_MS ? ["day", "days"] : ms >= HOUR_MS ? ["hour", "hours"] : ["window", "windows"];
  return `${items.length} ${items.length === 1 ? one : many}`;
}

/** Groups by agent and kind; the worst groups first, then the most recent. */
export function groupAnomalies<T extends Groupable>(anomalies: readonly T[]): AnomalyGroup<T>[] {
  const byKey = new Map<string, T[]>();
  for (const a of anomalies) {
    const key = `${a.agent.id}:${a.kind}`;
    byKey.set(key, [...(byKey.get(key) ?? []), a]);
  }
  const groups = [...byKey].map(([key, list]): AnomalyGroup<T> => {
    const items = [...list].sort((a, b) => Date.parse(b.windowStart) - Date.parse(a.windowStart));
    return {
      key,
      agent: items[0].agent,
      kind: items[0].kind,
      severity: items.reduce<Severity>((w, a) => (RANK[a.severity] > RANK[w] ? a.severity : w), "low"),
      status: items.some((a) => a.status === "open") ? "open" : "acknowledged",
      items,
      latest: items[0],
      from: items[items.length - 1].windowStart,
      // One kind's windows are all as long: the newest ends last.
      to: items[0].windowEnd,
      span: spanOf(items),
    };
  });
  return groups.sort(
    (a, b) =>
      RANK[b.severity] - RANK[a.severity] || Date.parse(b.latest.windowStart) - Date.parse(a.latest.windowStart),
  );
}

/** The audit log of a group: the agent's events from its first window's start to its last one's end. */
export function auditHref(tenantSlug: string, group: { agent: { id: string }; from: string; to: string }): string {
  return `/${tenantSlug}/audit?${new URLSearchParams({ agent: group.agent.id, from: group.from, to: group.to })}`;
}

/** "2026-12-03 22:00–23:00 UTC", "2026-12-02 00:00 – 2026-12-05 00:00 UTC". */
export function describeWindow(from: string, to: string): string {
  const [fromDay, fromTime] = [from.slice(0, 10), from.slice(11, 16)];
  const [toDay, toTime] = [to.slice(0, 10), to.slice(11, 16)];
  return fromDay === toDay || (toTime === "00:00" && Date.parse(to) - Date.parse(from) <= HOUR_MS)
    ? `${fromDay} ${fromTime}–${toTime} UTC`
    : `${fromDay} ${fromTime} – ${toDay} ${toTime} UTC`;
}
