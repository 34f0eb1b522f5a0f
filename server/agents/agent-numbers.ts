import "server-only";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { agentFor } from "./agent-access";

/** The agent page's key numbers, for whoever may read the agent (its owners included). */
export interface AgentNumbers {
  liveTokens: number;
  /** In the last 24 hours, from the hourly rollups (never the raw audit log). */
  decisions24h: number;
  denials24h: number;
  openAnomalies: number;
}

export async function agentNumbers(caller: Caller, agentId: string): Promise<AgentNumbers> {
  const db = await prisma();
  const agent = await agentFor(db, caller, agentId, "agents.read", { owners: true });
  const now = new Date();
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [liveTokens, activity, openAnomalies] = await Promise.all([
    db.token.count({
      where: {
        agentId: agent.id,
        revokedAt: null,
        expiresAt: { gt: now },
        kind: { in: ["ACCESS_TOKEN", "CLIENT_CREDENTIALS", "REFRESH_TOKEN"] },
      },
    }),
    db.activityRollup.aggregate({
      where: { granularity: 60, agentId: agent.id, bucketStart: { gt: since } },
      _sum: { decisions: true, denials: true },
    }),
    db.anomaly.count({ where: { agentId: agent.id, status: { in: ["OPEN", "ACKNOWLEDGED"] } } }),
  ]);
  return {
    liveTokens,
    decisions24h: activity._sum.decisions ?? 0,
    denials24h: activity._sum.denials ?? 0,
    openAnomalies,
  };
}
