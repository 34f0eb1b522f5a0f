import "server-only";
import { z } from "zod";
import { type Bucket, DAY_MS, detectHour, detectNewAddresses, type Finding, HOUR_MS } from "@/lib/anomalies/detect";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { anomalyListSchema, containAnomalySchema } from "@/lib/schemas/anomalies";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { isUuid, parseInput } from "@/lib/validation";
import { applyTransition, transitionAgent } from "../agents/transition-agent";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan, tenantWhere } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { AnomalyStatus, Prisma, Risk } from "../db/generated/client";
import { killAgent } from "../grants/revoke";

// Anomalies: what detection found in the rolled-up activity (rollup.ts), per agent and hour,
// and what people did about it: acknowledge, dismiss with a reason, or contain in one click
// (suspend the agent, or the kill switch).

const SEVERITY: Record<Finding["severity"], Risk> = { low: "LOW", medium: "MEDIUM", high: "HIGH" };

/**
 * Runs detection for the hours that contain `from`..`to` (by default the last hour and the current
 * one) over every agent active in them. Idempotent: one anomaly per agent, kind and hour, updated
 * while its hour is still filling. Returns the anomalies it created.
 */
export async function detectAnomalies(db: Db, opts: { from?: Date; to?: Date } = {}): Promise<number> {
  const to = opts.to ?? new Date();
  const first = Math.floor((opts.from ?? new Date(to.getTime() - HOUR_MS)).getTime() / HOUR_MS) * HOUR_MS;
  let created = 0;
  for (let hour = first; hour < to.getTime(); hour += HOUR_MS) {
    const at = new Date(hour);
    const active = await db.activityRollup.findMany({
      where: { granularity: 60, bucketStart: at },
      select: { agentId: true, tenantId: true },
    });
    if (!active.length) continue;
    const ids = active.map((a) => a.agentId);
    const rows = await db.activityRollup.findMany({
      where: { granularity: 60, agentId: { in: ids }, bucketStart: { gte: new Date(hour - 8 * DAY_MS), lte: at } },
    });
    const agents = await db.agent.findMany({
      where: { id: { in: ids } },
      select: { id: true, tenantId: true, owner: { select: { deactivatedAt: true, email: true } } },
    });
    const addresses = await db.agentSourceIp.findMany({
      where: { agentId: { in: ids }, firstSeen: { lt: new Date(hour + HOUR_MS) } },
      select: { agentId: true, ip: true, firstSeen: true },
    });
    for (const agent of agents) {
      const buckets: Bucket[] = rows
        .filter((r) => r.agentId === agent.id)
        .map((r) => ({
          start: r.bucketStart.getTime(),
          tokens: r.tokensIssued,
          decisions: r.decisions,
          denials: r.denials,
          outOfScope: r.outOfScope,
        }));
      const findings = detectHour(buckets, hour);
      const seen = addresses
        .filter((a) => a.agentId === agent.id)
        .map((a) => ({ ip: a.ip, firstSeen: a.firstSeen.getTime() }));
      const address = detectNewAddresses(seen, hour);
      if (address) findings.push(address);
      const left = agent.owner.deactivatedAt;
      const activeNow = buckets.some((b) => b.start === hour && b.tokens + b.decisions > 0);
      if (left && left.getTime() < hour + HOUR_MS && activeNow) {
        // One a day: the same leaver's agent at work every hour is one finding, not twenty-four.
        const day = Math.floor(hour / DAY_MS) * DAY_MS;
        findings.push({
          kind: "owner_departed",
          severity: "high",
          windowStart: day,
          windowEnd: day + DAY_MS,
          observed: buckets.find((b) => b.start === hour)?.decisions ?? 0,
          expected: 0,
          score: 0,
          detail: `Tokens used after the owner (${agent.owner.email}) left on ${left.toISOString().slice(0, 10)}.`,
        });
      }
      for (const f of findings) created += await upsertFinding(db, agent.id, agent.tenantId, f);
    }
  }
  return created;
}

async function upsertFinding(db: Db, agentId: string, tenantId: string, f: Finding): Promise<number> {
  const key = { agentId_kind_windowStart: { agentId, kind: f.kind, windowStart: new Date(f.windowStart) } };
  const values = {
    severity: SEVERITY[f.severity],
    observed: f.observed,
    expected: f.expected,
    score: f.score,
    detail: f.detail,
    windowEnd: new Date(f.windowEnd),
  };
  const existing = await db.anomaly.findUnique({ where: key, select: { id: true } });
  if (existing) {
    await db.anomaly.update({ where: { id: existing.id }, data: values });
    return 0;
  }
  // The anomaly and its event commit together; so do a containment, its agent's suspension,
  // its history and their events.
  const id = await atomically(db, async (tx) => {
    const row = await tx.anomaly.create({
      data: { agentId, tenantId, kind: f.kind, windowStart: new Date(f.windowStart), ...values },
    });
    await recordAudit(tx, {
      action: "anomaly.detected",
      outcome: "success",
      actor: { type: "system", label: "anomaly detection" },
      tenantId,
      target: { type: "agent", id: agentId },
      reason: f.detail,
      data: { anomaly: row.id, kind: f.kind, severity: f.severity, observed: f.observed, expected: f.expected },
    });
    return row.id;
  });
  if (f.severity === "high") await atomically(db, (tx) => autoContain(tx, id, agentId, tenantId, f));
  return 1;
}

/** Runs fn in a transaction of its own, or in the one db already is. */
function atomically<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return "$transaction" in db
    ? (db as unknown as { $transaction<R>(f: (tx: Db) => Promise<R>): Promise<R> }).$transaction(fn)
    : fn(db);
}

const RULE = { type: "system", label: "automatic containment rule" } as const;

/** The tenant's optional rule: a high-severity anomaly suspends its agent at once. */
async function autoContain(db: Db, anomalyId: string, agentId: string, tenantId: string, f: Finding) {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { autoSuspendOnHighAnomaly: true } });
  if (!tenant?.autoSuspendOnHighAnomaly) return;
  const agent = await db.agent.findUniqueOrThrow({ where: { id: agentId } });
  if (agent.status !== "ACTIVE") return;
  const reason = `High-severity anomaly (${f.kind}): ${f.detail}`;
  // Writes first, events last (an event holds the audit chain's head until the commit).
  await db.anomaly.update({
    where: { id: anomalyId },
    data: { status: "CONTAINED", resolvedAt: new Date(), resolvedBy: RULE.label, resolution: reason },
  });
  await applyTransition(db, agent, "suspend", reason, RULE);
  await recordAudit(db, {
    action: "anomaly.contained",
    outcome: "success",
    actor: RULE,
    tenantId,
    target: { type: "anomaly", id: anomalyId },
    reason,
    data: { agent: agentId, kind: f.kind, contained_by: "suspend", automatic: true },
  });
}

/** Turns the tenant's automatic containment rule on or off (tenant owners, security admins). */
export async function setAutoContainment(caller: Caller, tenantId: string, input: unknown) {
  const { enabled } = parseInput(z.object({ enabled: z.boolean({ error: "Use true or false." }) }), input);
  assertCan(caller, "settings.write", tenantId);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    await tx.tenant.update({ where: { id: tenantId }, data: { autoSuspendOnHighAnomaly: enabled } });
    await recordAudit(tx, {
      action: "tenant.settings.update",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "tenant", id: tenantId },
      data: {
        before: { auto_suspend_on_high_anomaly: before.autoSuspendOnHighAnomaly },
        after: { auto_suspend_on_high_anomaly: enabled },
      },
    });
    return { enabled };
  });
}

export interface AnomalyRow {
  id: string;
  agent: { id: string; name: string; status: string };
  tenantId: string;
  kind: string;
  severity: "low" | "medium" | "high";
  windowStart: Date;
  windowEnd: Date;
  observed: number;
  expected: number;
  score: number;
  detail: string;
  status: string;
  detectedAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: string | null;
  /** The audit events behind it: the agent's events in the window. */
  auditQuery: { agent: string; from: string; to: string };
}

function toRow(
  a: Prisma.AnomalyGetPayload<{ include: { agent: { select: { id: true; name: true; status: true } } } }>,
): AnomalyRow {
  return {
    id: a.id,
    agent: { id: a.agent.id, name: a.agent.name, status: a.agent.status.toLowerCase() },
    tenantId: a.tenantId,
    kind: a.kind,
    severity: a.severity.toLowerCase() as AnomalyRow["severity"],
    windowStart: a.windowStart,
    windowEnd: a.windowEnd,
    observed: a.observed,
    expected: a.expected,
    score: a.score,
    detail: a.detail,
    status: a.status.toLowerCase(),
    detectedAt: a.detectedAt,
    resolvedAt: a.resolvedAt,
    resolvedBy: a.resolvedBy,
    resolution: a.resolution,
    auditQuery: { agent: a.agentId, from: a.windowStart.toISOString(), to: a.windowEnd.toISOString() },
  };
}

/** Anomalies in the tenants where the caller reads agents, newest window first (500 at most). */
export async function listAnomalies(caller: Caller, input: unknown): Promise<AnomalyRow[]> {
  const q = parseInput(anomalyListSchema, input ?? {});
  const where: Prisma.AnomalyWhereInput = tenantWhere(caller, "agents.read");
  if (q.tenant) {
    assertCan(caller, "agents.read", q.tenant);
    where.tenantId = q.tenant;
  }
  if (q.agent) where.agentId = q.agent;
  if (q.status !== "all") where.status = q.status.toUpperCase() as AnomalyStatus;
  const db = await prisma();
  const rows = await db.anomaly.findMany({
    where,
    orderBy: [{ windowStart: "desc" }, { score: "desc" }],
    take: 500,
    include: { agent: { select: { id: true, name: true, status: true } } },
  });
  return rows.map(toRow);
}

/** At most as many as one list shows: the console acts on a group of repeated anomalies at once. */
const MAX_AT_ONCE = 500;

/** One anomaly's id, or a group's (the console's repeated anomalies of one agent and kind). */
export type AnomalyIds = string | readonly string[];

function idsOf(ids: AnomalyIds): string[] {
  // Console actions pass what a browser sent: anything but an id or a list of them is refused.
  const list = typeof ids === "string" ? [ids] : Array.isArray(ids) ? [...new Set(ids)] : [];
  if (!list.length || list.length > MAX_AT_ONCE || list.some((id) => typeof id !== "string")) {
    throw new ValidationError({ ids: [`Give between 1 and ${MAX_AT_ONCE} anomalies.`] });
  }
  return list;
}

async function anomalyFor(db: Db, caller: Caller, id: string) {
  const row = isUuid(id) ? await db.anomaly.findUnique({ where: { id } }) : null;
  if (!row || !can(caller.roles, "agents.read", row.tenantId)) throw new NotFoundError("anomaly");
  assertCan(caller, "agents.write", row.tenantId);
  if (row.status !== "OPEN" && row.status !== "ACKNOWLEDGED")
    throw new ConflictError("This anomaly is already resolved.");
  return row;
}

/** The anomalies, each checked: all of them or none (a missing, forbidden or resolved one refuses all). */
async function anomaliesFor(db: Db, caller: Caller, ids: string[]) {
  const rows = [];
  for (const id of ids) rows.push(await anomalyFor(db, caller, id));
  return rows;
}

async function resolve(caller: Caller, ids: string[], status: AnomalyStatus, reason: string, extra: object = {}) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const rows = await anomaliesFor(tx, caller, ids);
    const actor = actorOf(caller);
    await tx.anomaly.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { status, resolvedAt: new Date(), resolvedBy: actor.label, resolution: reason },
    });
    // Events last: each holds the audit chain's head until the commit.
    for (const row of rows) {
      await recordAudit(tx, {
        action: `anomaly.${status.toLowerCase()}`,
        outcome: "success",
        actor,
        tenantId: row.tenantId,
        target: { type: "anomaly", id: row.id },
        reason,
        data: { agent: row.agentId, kind: row.kind, ...extra },
      });
    }
    return { status: status.toLowerCase() };
  });
}

/** Seen, being looked at: stays on the list, no longer "open". */
export async function acknowledgeAnomaly(caller: Caller, ids: AnomalyIds, input: unknown) {
  const { reason } = parseInput(reasonBodySchema, input);
  return resolve(caller, idsOf(ids), "ACKNOWLEDGED", reason);
}

export async function dismissAnomaly(caller: Caller, ids: AnomalyIds, input: unknown) {
  const { reason } = parseInput(reasonBodySchema, input);
  return resolve(caller, idsOf(ids), "DISMISSED", reason);
}

/**
 * Contains the agent in one click: suspends it (its tokens stop working at once), or pulls the
 * kill switch (every grant and token revoked, and suspended). The anomalies (one, or a group of
 * the same agent's) are then contained.
 */
export async function containAnomaly(caller: Caller, ids: AnomalyIds, input: unknown) {
  const { action, reason } = parseInput(containAnomalySchema, input);
  const list = idsOf(ids);
  const db = await prisma();
  const rows = await anomaliesFor(db, caller, list);
  const agentId = rows[0].agentId;
  if (rows.some((r) => r.agentId !== agentId)) {
    throw new ValidationError({ ids: ["Contain one agent's anomalies at a time."] });
  }
  const why = `Anomaly (${rows[0].kind}): ${reason}`;
  if (action === "kill") await killAgent(caller, agentId, { reason: why });
  else {
    const agent = await db.agent.findUniqueOrThrow({ where: { id: agentId }, select: { status: true } });
    if (agent.status === "ACTIVE") await transitionAgent(caller, agentId, { transition: "suspend", reason: why });
  }
  return resolve(caller, list, "CONTAINED", reason, { contained_by: action });
}
