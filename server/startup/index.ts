import "server-only";
import type { Env } from "@/lib/env";
import { detectAnomalies } from "../anomalies/anomalies";
import { chainUnchainedEvents } from "../audit/chain";
import { bootstrapAutomationClient } from "../automation/automation-clients";
import { database } from "../db";
import { bootstrapAdmin } from "./bootstrap";
import { demoSignInHelp, seedDemo } from "./seed-demo";

export interface StartupReport {
  bootstrapped: string | null;
  client: string | null;
  seeded: boolean;
  messages: string[];
}

/**
 * Brings a database to a servable state: migrated (by database()), bootstrapped and, on a fresh
 * embedded database (or when SEED_DEMO=true), seeded with the demo world. Runs before the first
 * request; concurrent instances are serialised by an advisory lock.
 */
export async function prepare(config: Env): Promise<StartupReport> {
  const { prisma, sql } = await database();
  return sql.withConnection(async (conn) => {
    await conn.query("SELECT pg_advisory_lock($1)", [7_411_202_612]);
    try {
      // Events written before the audit chain existed take their place in it, once.
      const chained = await chainUnchainedEvents(prisma);
      const empty = (await prisma.user.count()) === 0;
      const wantDemo = config.SEED_DEMO === "true" || (config.SEED_DEMO === "auto" && config.embedded);
      const report: StartupReport = { bootstrapped: null, client: null, seeded: false, messages: [] };
      if (chained) report.messages.push(`Chained ${chained} audit event(s) written before the audit chain existed.`);
      if (!empty) return report;
      await prisma.$transaction(
        async (tx) => {
          report.bootstrapped = await bootstrapAdmin(tx, config);
          if (config.BOOTSTRAP_ADMIN_CLIENT_ID && config.BOOTSTRAP_ADMIN_CLIENT_SECRET) {
            report.client = await bootstrapAutomationClient(
              tx,
              config.BOOTSTRAP_ADMIN_CLIENT_ID,
              config.BOOTSTRAP_ADMIN_CLIENT_SECRET,
            );
          }
          if (wantDemo) {
            await seedDemo(tx);
            report.seeded = true;
          }
        },
        { timeout: 120_000, maxWait: 120_000 },
      );
      if (report.seeded) {
        // The demo traffic's events take their place in the chain; its anomalies are found.
        await chainUnchainedEvents(prisma);
        await detectAnomalies(prisma, { from: new Date(Date.now() - 2 * 86_400_000) });
      }
      if (report.bootstrapped) report.messages.push(`Created security admin ${report.bootstrapped}.`);
      if (report.client) report.messages.push(`Created automation client ${report.client} (security admin).`);
      if (report.seeded) report.messages.push(demoSignInHelp(config.publicUrl));
      if (!report.bootstrapped && !report.seeded) {
        report.messages.push(
          "The database has no users. Set BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD and restart to create the first security admin.",
        );
      }
      return report;
    } finally {
      await conn.query("SELECT pg_advisory_unlock($1)", [7_411_202_612]);
    }
  });
}
