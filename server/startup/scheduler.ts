import "server-only";
import type { Env } from "@/lib/env";
import { sweepOverdueReviews } from "../agents/review-sweep";
import { detectAnomalies } from "../anomalies/anomalies";
import { rollUpActivity } from "../anomalies/rollup";
import { takeCheckpoint } from "../audit-log/checkpoints";
import { purgeOldSessions } from "../auth/sessions";
import { type Db, refreshStatistics } from "../db";
import { purgeExpiredOAuthState } from "../oauth/maintenance";

// Mandate's background work, in one place: each job runs once at start (awaited, so a fresh
// installation is consistent before it answers anyone) and then on its beat. A failed run is
// logged and the next beat tries again; nothing here stops the server.

export interface Job {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export function backgroundJobs(db: Db, config: Env): Job[] {
  return [
    {
      // Agents past their review date are suspended; spent OAuth state and console sessions over
      // for a month are purged; the embedded database's planner statistics are refreshed.
      name: "hourly maintenance",
      everyMs: 60 * 60_000,
      run: async () => {
        const ids = await sweepOverdueReviews();
        if (ids.length) console.log(`Review sweep suspended ${ids.length} agent(s) past their review date.`);
        await purgeExpiredOAuthState();
        await purgeOldSessions(db, config.SESSION_MAX_AGE_MINUTES);
        await refreshStatistics();
      },
    },
    {
      // The audit chain's head is signed every ten minutes (and at every export), so that a rewrite
      // of the past would have to forge a signature made with a key derived from AUTH_SECRET.
      name: "audit checkpoint",
      everyMs: 10 * 60_000,
      run: () => takeCheckpoint(db),
    },
    {
      // Agents' activity is rolled up from the audit store and checked for anomalies.
      name: "anomaly detection",
      everyMs: 60_000,
      run: async () => {
        await rollUpActivity(db);
        await detectAnomalies(db);
      },
    },
  ];
}

/** Runs every job once, then on its beat; `stop()` clears the timers. */
export async function startJobs(jobs: readonly Job[]): Promise<{ stop(): void }> {
  const timers: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    const run = () => job.run().catch((error) => console.error(`${job.name} failed`, error));
    await run();
    timers.push(setInterval(run, job.everyMs).unref());
  }
  return { stop: () => timers.forEach(clearInterval) };
}
