import "server-only";
import { type Change, change, headlineWindows, type SeverityCounts, type Window } from "@/lib/overview/headline";
import { can } from "@/lib/permissions";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { liveTokenWhere } from "../oauth/token-store";

// The Overview's headline: what a security team opens the console for, counted for one tenant
// with the caller's permissions. Each number is there only when the caller may open the list it
// leads to. Activity comes from the hourly rollups (never the raw audit log), the rest from
// indexed counts of live rows.

export interface Headline {
  windows: { last: Window; previous: Window };
  /** Active agents (agents.read: the agents list). */
  activeAgents?: number;
  /** Live access tokens of the tenant's agents (agents.read and audit.read: their issuance). */
  liveTokens?: number;
  /** Decisions and denied decisions in the last 24 h against the 24 h before (audit.read). */
  decisions?: Change;
  denials?: Change;
  /** Pending approval requests the caller may see (approvals.read, or owners of the tenant's agents). */
  pendingApprovals?: number;
  /** Unresolved anomalies (open or acknowledged) by severity (agents.read). */
  anomalies?: SeverityCounts;
  /** For people without agents.read: the live grants they gave agents here. */
  yourGrants?: number;
}

export async function getHeadline(caller: Caller, tenantId: string, now = new Date()): Promise<Headline> {
  assertCan(caller, "tenant.read", tenantId);
  const db = await prisma();
  const windows = headlineWindows(now);
  const agents = can(caller.roles, "agents.read", tenantId);
  const audit = can(caller.roles, "audit.read", tenantId);
  const own = caller.type === "user" ? [{ ownerId: caller.id }, { backupOwnerId: caller.id }] : null;

  const activity = (w: Window) =>
    db.activityRollup.aggregate({
      // Hourly buckets starting in the window: the last one is the current hour so far.
      where: { granularity: 60, tenantId, bucketStart: { gte: w.from, lt: w.to } },
      _sum: { decisions: true, denials: true },
    });
  const approvalsWhere = can(caller.roles, "approvals.read", tenantId)
    ? {}
    : own
      ? { agent: { kind: "AGENT" as const, OR: own } }
      : null;

  const [activeAgents, liveTokens, last, previous, pendingApprovals, severities, ownsAgents, yourGrants] =
    await Promise.all([
      agents ? db.agent.count({ where: { tenantId, status: "ACTIVE" } }) : undefined,
      agents && audit
        ? db.token.count({
            where: {
              tenantId,
              agentId: { not: null },
              kind: { in: ["ACCESS_TOKEN", "CLIENT_CREDENTIALS"] },
              ...liveTokenWhere(now),
            },
          })
        : undefined,
      audit ? activity(windows.last) : undefined,
      audit ? activity(windows.previous) : undefined,
      approvalsWhere
        ? db.approvalRequest.count({
            where: { tenantId, status: "PENDING", expiresAt: { gt: now }, ...approvalsWhere },
          })
        : undefined,
      agents
        ? db.anomaly.groupBy({
            by: ["severity"],
            where: { tenantId, status: { in: ["OPEN", "ACKNOWLEDGED"] } },
            _count: { _all: true },
          })
        : undefined,
      // The approvals page opens to owners of the tenant's agents without approvals.read.
      approvalsWhere && own && !can(caller.roles, "approvals.read", tenantId)
        ? db.agent.count({ where: { tenantId, kind: "AGENT", status: { not: "RETIRED" }, OR: own } })
        : undefined,
      !agents && caller.type === "user"
        ? db.grant.count({ where: { tenantId, userId: caller.id, revokedAt: null } })
        : undefined,
    ]);

  const headline: Headline = { windows, activeAgents, liveTokens, yourGrants };
  if (last && previous) {
    headline.decisions = change(last._sum.decisions ?? 0, previous._sum.decisions ?? 0);
    headline.denials = change(last._sum.denials ?? 0, previous._sum.denials ?? 0);
  }
  if (pendingApprovals !== undefined && (ownsAgents === undefined || ownsAgents > 0)) {
    headline.pendingApprovals = pendingApprovals;
  }
  if (severities) {
    const counts: SeverityCounts = { high: 0, medium: 0, low: 0 };
    for (const s of severities) counts[s.severity.toLowerCase() as keyof SeverityCounts] = s._count._all;
    headline.anomalies = counts;
  }
  return headline;
}
