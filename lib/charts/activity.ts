// What the activity charts draw, worked out before Recharts sees it: rows with the bucket still
// filling split off (drawn dashed, never as a drop to zero), time ticks people can read, the
// tooltip's wording, and the short text that says what a chart shows. Times are UTC.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export interface ActivityPointLike {
  t: number;
  tokens: number;
  decisions: number;
  denials: number;
  band: [number, number] | null;
  /** The bucket is still filling (the current hour or day). */
  partial?: boolean;
}

export interface ChartRow {
  t: number;
  partial: boolean;
  /** Complete buckets only: the solid lines. */
  decisions: number | null;
  tokens: number | null;
  /** The last complete bucket and the one filling: the dashed segment. */
  decisionsSoFar: number | null;
  tokensSoFar: number | null;
  denials: number;
  band: [number, number] | null;
}

/** Whether the bucket starting at `t` is still filling at `now`. */
export function isPartial(t: number, minutes: number, now: number): boolean {
  return t + minutes * MINUTE_MS > now;
}

export function chartRows(points: readonly ActivityPointLike[]): ChartRow[] {
  const lastComplete = points.findLastIndex((p) => !p.partial);
  return points.map((p, i) => {
    const joins = p.partial || (i === lastComplete && points.slice(i + 1).some((q) => q.partial));
    return {
      t: p.t,
      partial: !!p.partial,
      decisions: p.partial ? null : p.decisions,
      tokens: p.partial ? null : p.tokens,
      decisionsSoFar: joins ? p.decisions : null,
      tokensSoFar: joins ? p.tokens : null,
      denials: p.denials,
      band: p.band,
    };
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function day(t: number) {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

function hhmm(t: number) {
  return new Date(t).toISOString().slice(11, 16);
}

/**
 * Tick positions for the x axis: every 3 hours over a day, each midnight over a week, every
 * fifth day over a month (at most about ten ticks, on round times).
 */
export function timeTicks(start: number, end: number, minutes: number): number[] {
  const span = end - start;
  const every = minutes >= 1440 ? (span > 14 * DAY_MS ? 5 * DAY_MS : DAY_MS) : span > 2 * DAY_MS ? DAY_MS : 3 * HOUR_MS;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / every) * every; t <= end; t += every) ticks.push(t);
  return ticks;
}

/** "09:00" within a day, "Dec 4" at midnight and for days. */
export function tickLabel(t: number, minutes: number): string {
  return minutes >= 1440 || t % DAY_MS === 0 ? day(t) : hhmm(t);
}

/** The tooltip's heading: "Dec 4, 09:00–10:00 UTC", "Dec 4 (UTC)", and whether it is complete. */
export function bucketLabel(t: number, minutes: number, partial = false): string {
  const when = minutes >= 1440 ? `${day(t)} (UTC)` : `${day(t)}, ${hhmm(t)}–${hhmm(t + minutes * MINUTE_MS)} UTC`;
  return partial ? `${when}, in progress: so far` : when;
}

const n = (v: number) => v.toLocaleString("en");
const plural = (v: number, one: string, many: string) => `${n(v)} ${v === 1 ? one : many}`;

function spanLabel(points: readonly ActivityPointLike[], minutes: number): string {
  const ms = points.length * minutes * MINUTE_MS;
  return ms <= DAY_MS ? `${Math.round(ms / HOUR_MS)} hours` : `${Math.round(ms / DAY_MS)} days`;
}

function busiest(points: readonly ActivityPointLike[], of: (p: ActivityPointLike) => number) {
  return points.reduce<ActivityPointLike | null>((m, p) => (of(p) > (m ? of(m) : 0) ? p : m), null);
}

const unitOf = (minutes: number) => (minutes >= 1440 ? "day" : "hour");

/** What the decisions and tokens chart shows, in a sentence or three. */
export function summarizeVolume(points: readonly ActivityPointLike[], minutes: number, anomalies = 0): string {
  const decisions = points.reduce((s, p) => s + p.decisions, 0);
  const tokens = points.reduce((s, p) => s + p.tokens, 0);
  const parts = [
    `Last ${spanLabel(points, minutes)}: ${plural(decisions, "decision", "decisions")} and ${plural(tokens, "token", "tokens")} issued.`,
  ];
  const peak = busiest(points, (p) => p.decisions);
  if (peak) parts.push(`Busiest ${unitOf(minutes)}: ${bucketLabel(peak.t, minutes)}, ${n(peak.decisions)} decisions.`);
  if (anomalies) parts.push(`${plural(anomalies, "anomaly", "anomalies")} marked.`);
  if (points.at(-1)?.partial) parts.push(`The last ${unitOf(minutes)} is still in progress.`);
  return parts.join(" ");
}

/** What the denials chart shows. */
export function summarizeDenials(points: readonly ActivityPointLike[], minutes: number): string {
  const denials = points.reduce((s, p) => s + p.denials, 0);
  if (!denials) return `No decision was denied in the last ${spanLabel(points, minutes)}.`;
  const peak = busiest(points, (p) => p.denials);
  return `${plural(denials, "denied decision", "denied decisions")} in the last ${spanLabel(points, minutes)}; the most in one ${unitOf(minutes)}: ${n(peak?.denials ?? 0)}, ${bucketLabel(peak?.t ?? 0, minutes)}.`;
}
