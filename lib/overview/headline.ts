// The Overview's headline numbers: the windows they count, the change from one window to the
// one before, shares, and where each card leads. Pure, so that the arithmetic is tested once.

import { TOKEN_TTL } from "@/lib/schemas/agents";

const HOUR_MS = 3_600_000;

export interface Window {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * "The last 24 hours" as the hourly rollups can count it: the current hour so far and the 23
 * before it; "the 24 hours before" are the 24 whole hours before that. The audit log links use
 * the same bounds, so a card and the list it opens count the same events.
 */
export function headlineWindows(now: Date): { last: Window; previous: Window } {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const from = hour - 23 * HOUR_MS;
  return {
    last: { from: new Date(from), to: now },
    previous: { from: new Date(from - 24 * HOUR_MS), to: new Date(from) },
  };
}

export interface Change {
  current: number;
  previous: number;
  delta: number;
  /** Whole per cent of the previous count; null when there was nothing before to compare with. */
  percent: number | null;
  trend: "up" | "down" | "flat";
}

export function change(current: number, previous: number): Change {
  const delta = current - previous;
  return {
    current,
    previous,
    delta,
    percent: previous === 0 ? null : Math.round((delta / previous) * 100),
    trend: delta > 0 ? "up" : delta < 0 ? "down" : "flat",
  };
}

const count = (n: number) => n.toLocaleString("en");

/** "+12% on the 24 h before (1,040)", "no change", "none the 24 h before". */
export function describeChange(c: Change): string {
  if (c.trend === "flat") return c.current === 0 ? "none the 24 h before either" : "same as the 24 h before";
  if (c.percent === null) return "none the 24 h before";
  // A change too small to round to a per cent still says which way it went.
  const pct = c.percent === 0 ? "<1%" : `${Math.abs(c.percent).toLocaleString("en")}%`;
  return `${c.trend === "up" ? "+" : "−"}${pct} on the 24 h before (${count(c.previous)})`;
}

/** Part of a whole, in per cent with one decimal ("4.2%"); null for an empty whole. */
export function share(part: number, whole: number): string | null {
  if (whole <= 0) return null;
  const pct = (part / whole) * 100;
  if (part > 0 && pct < 0.1) return "<0.1%";
  return `${Number(pct.toFixed(1)).toLocaleString("en")}%`;
}

export type SeverityCounts = Record<"high" | "medium" | "low", number>;

/** Severities worst first, leaving out those with none: "2 high · 1 low". */
export function describeSeverities(counts: SeverityCounts): string {
  const parts = (["high", "medium", "low"] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length ? parts.join(" · ") : "none open";
}

export function totalOf(counts: SeverityCounts): number {
  return counts.high + counts.medium + counts.low;
}

/** The lists the cards open, filtered as the card counts. */
export function headlineLinks(tenantSlug: string, windows: { last: Window }, now: Date) {
  const base = `/${tenantSlug}`;
  const since = windows.last.from.toISOString();
  const audit = (q: Record<string, string>) => `${base}/audit?${new URLSearchParams(q).toString()}`;
  return {
    agents: `${base}/agents?status=active`,
    // Access tokens live an hour at most: every live one was issued within the longest lifetime.
    tokens: audit({ action: "oauth.token.issued", from: new Date(now.getTime() - TOKEN_TTL.max * 1000).toISOString() }),
    decisions: audit({ action: "decision.evaluate", from: since }),
    denials: audit({ action: "decision.evaluate", outcome: "denied", from: since }),
    approvals: `${base}/approvals`,
    anomalies: `${base}#open-anomalies`,
    grants: `${base}/grants`,
  };
}
