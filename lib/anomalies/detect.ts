// Anomaly detection on an agent's activity, as pure functions over hourly series (no database,
// no clock): each agent is compared with its own baseline, the same hour of the day on previous
// days, with a robust z-score (median and MAD), so that an agent busy every morning is not flagged
// every morning, and a spike at 3 a.m. is. Rules that need no baseline sit beside it.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export type Severity = "low" | "medium" | "high";
export type AnomalyKind =
  | "volume_spike"
  | "denial_spike"
  | "out_of_scope"
  | "new_source_ip"
  | "outside_usual_hours"
  | "owner_departed";

/** One hourly bucket of an agent's activity. */
export interface Bucket {
  start: number;
  tokens: number;
  decisions: number;
  denials: number;
  outOfScope: number;
}

export interface Finding {
  kind: AnomalyKind;
  severity: Severity;
  windowStart: number;
  windowEnd: number;
  observed: number;
  expected: number;
  /** How far from the baseline, in robust standard deviations (rules: 0). */
  score: number;
  detail: string;
}

export function median(values: readonly number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Median absolute deviation, scaled to a standard deviation for normal data. */
export function mad(values: readonly number[]): number {
  const m = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - m)));
}

export interface Baseline {
  expected: number;
  /** The band drawn around the expected value: expected ± spread (never below 0). */
  low: number;
  high: number;
  spread: number;
}

/**
 * The baseline for an hour from the same hour on previous days. With flat history, the spread
 * falls back to the square root of the expected count (Poisson), and never below 1: a quiet
 * agent going from 0 to 2 requests is not an incident.
 */
export function baseline(history: readonly number[], band = 3): Baseline {
  const expected = median(history);
  const spread = Math.max(mad(history), Math.sqrt(expected), 1);
  return { expected, spread, low: Math.max(0, expected - band * spread), high: expected + band * spread };
}

export function robustZ(value: number, history: readonly number[]): number {
  const b = baseline(history);
  return (value - b.expected) / b.spread;
}

/**
 * The values of the same hour on each of the previous `days` days (missing hours count as 0),
 * back to `since` at the earliest (before its first activity, an agent has no habits).
 */
export function sameHourHistory(
  series: ReadonlyMap<number, number>,
  at: number,
  days = 7,
  since = Number.NEGATIVE_INFINITY,
): number[] {
  const out: number[] = [];
  for (let d = 1; d <= days && at - d * DAY_MS >= since; d++) out.push(series.get(at - d * DAY_MS) ?? 0);
  return out;
}

export interface DetectOptions {
  /** Robust z above which a count is anomalous (medium), and high above `highZ`. */
  z: number;
  highZ: number;
  /** Ignore spikes smaller than this many events over the baseline. */
  minExcess: number;
  /** Days of history for the baseline. */
  days: number;
  /** Fewer days of history than this (a new agent): no baseline, so no spike is judged. */
  minDays: number;
  /** An agent seen for less than this many days has no usual addresses yet: none is "new". */
  addressDays: number;
}
export const DEFAULTS: DetectOptions = { z: 4, highZ: 8, minExcess: 20, days: 7, minDays: 3, addressDays: 1 };

function severityOf(z: number, o: DetectOptions): Severity {
  return z >= o.highZ ? "high" : "medium";
}

/**
 * Findings for the hour starting at `at`, from the agent's hourly buckets (the hour itself and
 * the days before it).
 */
export function detectHour(buckets: readonly Bucket[], at: number, options: Partial<DetectOptions> = {}): Finding[] {
  const o = { ...DEFAULTS, ...options };
  const by = new Map(buckets.map((b) => [b.start, b]));
  const current = by.get(at) ?? { start: at, tokens: 0, decisions: 0, denials: 0, outOfScope: 0 };
  const findings: Finding[] = [];
  const window = { windowStart: at, windowEnd: at + HOUR_MS };

  const volume = (b: Bucket) => b.tokens + b.decisions;
  const volumes = new Map(buckets.map((b) => [b.start, volume(b)]));
  // The agent's habits start on the first day it was active (the day, so that the hour of its
  // first activity on that day counts).
  const firstActive = Math.min(...buckets.filter((b) => volume(b) > 0).map((b) => b.start));
  const since = Number.isFinite(firstActive) ? Math.floor(firstActive / DAY_MS) * DAY_MS : at;
  const history = sameHourHistory(volumes, at, o.days, since);
  const judged = history.length >= o.minDays;
  const observed = volume(current);
  const base = baseline(history);
  const z = (observed - base.expected) / base.spread;
  if (judged && z >= o.z && observed - base.expected >= o.minExcess) {
    findings.push({
      kind: "volume_spike",
      severity: severityOf(z, o),
      ...window,
      observed,
      expected: base.expected,
      score: z,
      detail: `${observed} tokens and decisions in the hour; usually ${base.expected} at this hour.`,
    });
  }

  const denials = new Map(buckets.map((b) => [b.start, b.denials]));
  const dHistory = sameHourHistory(denials, at, o.days, since);
  const dBase = baseline(dHistory);
  const dz = (current.denials - dBase.expected) / dBase.spread;
  if (judged && dz >= o.z && current.denials - dBase.expected >= Math.max(5, o.minExcess / 4)) {
    findings.push({
      kind: "denial_spike",
      severity: severityOf(dz, o),
      ...window,
      observed: current.denials,
      expected: dBase.expected,
      score: dz,
      detail: `${current.denials} denied decisions in the hour; usually ${dBase.expected}.`,
    });
  }

  if (current.outOfScope > 0) {
    findings.push({
      kind: "out_of_scope",
      severity: current.outOfScope >= 10 ? "high" : "medium",
      ...window,
      observed: current.outOfScope,
      expected: 0,
      score: 0,
      detail: `${current.outOfScope} attempt(s) at actions outside the agent's scopes.`,
    });
  }

  // Activity in an hour of the day in which the agent has never been active over the history
  // (with enough history to know its habits: activity on at least half the days).
  const activeDays = new Set(
    buckets.filter((b) => b.start < at && volume(b) > 0).map((b) => Math.floor(b.start / DAY_MS)),
  );
  if (observed > 0 && activeDays.size >= Math.ceil(o.days / 2)) {
    const usual = history.some((v) => v > 0);
    const nearby = [-1, 1].some((h) => sameHourHistory(volumes, at + h * HOUR_MS, o.days).some((v) => v > 0));
    if (!usual && !nearby) {
      findings.push({
        kind: "outside_usual_hours",
        severity: observed >= o.minExcess ? "medium" : "low",
        ...window,
        observed,
        expected: 0,
        score: 0,
        detail: `Active at ${new Date(at).toISOString().slice(11, 16)} UTC, an hour it has not been active in over ${o.days} days.`,
      });
    }
  }
  return findings;
}

/** Source addresses first seen in the window, given those seen before it. */
export function newSourceIps(seenBefore: ReadonlySet<string>, inWindow: readonly string[]): string[] {
  return [...new Set(inWindow)].filter((ip) => !seenBefore.has(ip)).sort();
}

/** The network an address belongs to, for "a new network": its /24 (IPv4) or /48 (IPv6). */
export function networkOf(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  const groups = ip.toLowerCase().split("::")[0].split(":").filter(Boolean);
  return `${groups.slice(0, 3).join(":")}::/48`;
}

/**
 * New addresses in the window, judged against the ones seen before: an address in a network the
 * agent has used is low severity; one in a network never seen, medium.
 */
export function classifyNewAddresses(
  seenBefore: readonly string[],
  fresh: readonly string[],
): { ip: string; newNetwork: boolean }[] {
  const networks = new Set(seenBefore.map(networkOf));
  return newSourceIps(new Set(seenBefore), fresh).map((ip) => ({ ip, newNetwork: !networks.has(networkOf(ip)) }));
}

/** An address an agent has been seen from, and since when. */
export interface SeenAddress {
  ip: string;
  firstSeen: number;
}

/**
 * The new-address finding for the hour starting at `at`, from the addresses the agent has been
 * seen from up to the hour's end. An agent with no history yet (seen for less than `addressDays`
 * before the hour) has no usual addresses: its first ones are how they are learnt, not news. A
 * new network weighs more than a new address in a network the agent uses.
 */
export function detectNewAddresses(
  seen: readonly SeenAddress[],
  at: number,
  options: Partial<DetectOptions> = {},
): Finding | null {
  const o = { ...DEFAULTS, ...options };
  const before = seen.filter((a) => a.firstSeen < at);
  const since = Math.min(...before.map((a) => a.firstSeen));
  if (!before.length || at - since < o.addressDays * DAY_MS) return null;
  const fresh = seen.filter((a) => a.firstSeen >= at && a.firstSeen < at + HOUR_MS).map((a) => a.ip);
  const judged = classifyNewAddresses(
    before.map((a) => a.ip),
    fresh,
  );
  if (!judged.length) return null;
  const networks = judged.some((j) => j.newNetwork);
  const ips = judged.map((j) => j.ip).join(", ");
  return {
    kind: "new_source_ip",
    severity: networks ? "medium" : "low",
    windowStart: at,
    windowEnd: at + HOUR_MS,
    observed: judged.length,
    expected: 0,
    score: 0,
    detail: networks
      ? `First seen from ${ips}, in a network it has not used before.`
      : `First seen from ${ips} (a network it uses).`,
  };
}

/** Score for ranking agents: the worst open finding's severity, then its z. */
export function anomalyScore(findings: readonly { severity: Severity; score: number }[]): number {
  const weight: Record<Severity, number> = { low: 1, medium: 10, high: 100 };
  return findings.reduce((s, f) => s + weight[f.severity] + Math.min(f.score, 50), 0);
}
