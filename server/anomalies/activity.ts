import "server-only";
import { z } from "zod";
import { anomalyScore, baseline, DAY_MS, sameHourHistory } from "@/lib/anomalies/detect";
import { isPartial } from "@/lib/charts/activity";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { parseInput } from "@/lib/validation";
import { agentFor } from "../agents/agent-access";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";

// What the charts draw, read from the rollups only (never raw events): a tenant's (or one
// agent's) tokens, decisions and denials per bucket over a range, with the baseline band (the
// same hour on the seven days before), the anomalies in the range, and agents ranked by their
// open anomalies.

export const ACTIVITY_RANGES = {
  "24h": { ms: DAY_MS, granularity: 60 },
  "7d": { ms: 7 * DAY_MS, granularity: 60 },
  "30d": { ms: 30 * DAY_MS, granularity: 1440 },
} as const;
export type ActivityRange = keyof typeof ACTIVITY_RANGES;

const activitySchema = z.object({
  range: z.enum(["24h", "7d", "30d"], { error: "Use 24h, 7d or 30d." }).default("24h"),
  agent: z.uuid("Use an agent id.").optional(),
});

export interface ActivityPoint {
  t: number;
  tokens: number;
  decisions: number;
  denials: number;
  /** The usual range of decisions: the same hour on the seven days before (hourly ranges only). */
  expected: number | null;
  band: [number, number] | null;
  /** The bucket is still filling (the current hour or day): its counts are so far. */
  partial: boolean;
}

export async function activityFor(caller: Caller, tenantId: string, input: unknown) {
  const { range, agent } = parseInput(activitySchema, input ?? {});
  const db = await prisma();
  if (agent) {
    // One agent's week: whoever may read the agent (its owners too, whatever their role).
    const row = await agentFor(db, caller, agent, "agents.read", { owners: true });
    if (row.tenantId !== tenantId) throw new NotFoundError("agent");
  } else assertCan(caller, "agents.read", tenantId);
  const { ms, granularity } = ACTIVITY_RANGES[range];
  const step = granularity * 60_000;
  const now = Date.now();
  const end = Math.floor(now / step) * step;
  const start = end - ms + step;
  // Hourly ranges read seven more days for the baseline.
  const readFrom = granularity === 60 ? start - 7 * DAY_MS : start;
  const grouped = await db.activityRollup.groupBy({
    by: ["bucketStart"],
    where: {
      granularity,
      tenantId,
      ...(agent ? { agentId: agent } : {}),
      bucketStart: { gte: new Date(readFrom), lte: new Date(end) },
    },
    _sum: { tokensIssued: true, decisions: true, denials: true },
  });
  const by = new Map(grouped.map((g) => [g.bucketStart.getTime(), g._sum]));
  const decisions = new Map(grouped.map((g) => [g.bucketStart.getTime(), g._sum.decisions ?? 0]));
  const points: ActivityPoint[] = [];
  for (let t = start; t <= end; t += step) {
    const s = by.get(t);
    const b = granularity === 60 ? baseline(sameHourHistory(decisions, t, 7, readFrom)) : null;
    points.push({
      t,
      tokens: s?.tokensIssued ?? 0,
      decisions: s?.decisions ?? 0,
      denials: s?.denials ?? 0,
      expected: b ? b.expected : null,
      band: b ? [b.low, b.high] : null,
      partial: isPartial(t, granularity, now),
    });
  }
  const anomalies = await db.anomaly.findMany({
    where: {
      tenantId,
      ...(agent ? { agentId: agent } : {}),
      windowStart: { gte: new Date(start - DAY_MS), lte: new Date(end) },
    },
    include: { agent: { select: { id: true, name: true } } },
    orderBy: { windowStart: "asc" },
  });
  return {
    range,
    granularity,
    points,
    anomalies: anomalies.map((a) => ({
      id: a.id,
      agent: a.agent,
      kind: a.kind,
      severity: a.severity.toLowerCase() as "low" | "medium" | "high",
      status: a.status.toLowerCase(),
      // Where the marker goes: the bucket the window starts in.
      t: Math.max(start, Math.floor(a.windowStart.getTime() / step) * step),
      observed: a.observed,
      expected: a.expected,
      detail: a.detail,
    })),
  };
}

/** Agents ranked by their open anomalies (severity, then how far from their baseline). */
export async function rankAgents(caller: Caller, tenantId: string) {
  if (!can(caller.roles, "agents.read", tenantId)) return [];
  const db = await prisma();
  const open = await db.anomaly.findMany({
    where: { tenantId, status: { in: ["OPEN", "ACKNOWLEDGED"] } },
    include: { agent: { select: { id: true, name: true, status: true } } },
  });
  const byAgent = new Map<string, { agent: { id: string; name: string; status: string }; findings: typeof open }>();
  for (const a of open) {
    const entry = byAgent.get(a.agentId) ?? {
      agent: { ...a.agent, status: a.agent.status.toLowerCase() },
      findings: [],
    };
    entry.findings.push(a);
    byAgent.set(a.agentId, entry);
  }
  return [...byAgent.values()]
    .map((e) => ({
      agent: e.agent,
      open: e.findings.length,
      score: Math.round(
        anomalyScore(
          e.findings.map((f) => ({ severity: f.severity.toLowerCase() as "low" | "medium" | "high", score: f.score })),
        ),
      ),
      worst: e.findings.some((f) => f.severity === "HIGH")
        ? "high"
        : e.findings.some((f) => f.severity === "MEDIUM")
          ? "medium"
          : "low",
    }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 10);
}
