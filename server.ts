// Mandate's one Node process: the console (Next.js) and the OAuth 2 authorization server
// (oidc-provider, under /oauth and /.well-known), behind one HTTP server. Run by `npm start` / `npm run dev`.
import { createServer } from "node:http";
import next from "next";
import { EnvError, env } from "./lib/env";
import { sweepOverdueReviews } from "./server/agents/review-sweep";
import { detectAnomalies } from "./server/anomalies/anomalies";
import { rollUpActivity } from "./server/anomalies/rollup";
import { takeCheckpoint } from "./server/audit/chain";
import { purgeOldSessions } from "./server/auth/sessions";
import { database, refreshStatistics } from "./server/db";
import { frontDoor } from "./server/http/front-door";
import { purgeExpiredOAuthState } from "./server/oauth/maintenance";
import { createProvider } from "./server/oauth/provider";
import { prepare } from "./server/startup";

async function main() {
  const config = env();
  const dev = process.argv.includes("--dev");
  // next-auth reads these two itself.
  process.env.NEXTAUTH_URL = config.publicUrl;
  process.env.AUTH_SECRET = config.authSecret;

  const db = await database();
  const report = await prepare(config);
  for (const m of report.messages) console.log(m);

  // Agents past their review date are suspended at start and every hour after; spent OAuth state
  // and console sessions over for a month are purged, and the embedded database's planner
  // statistics are refreshed on the same beat.
  const sweep = () =>
    sweepOverdueReviews()
      .then((ids) => ids.length && console.log(`Review sweep suspended ${ids.length} agent(s) past their review date.`))
      .then(() => purgeExpiredOAuthState())
      .then(() => purgeOldSessions(db.prisma, config.SESSION_MAX_AGE_MINUTES))
      .then(refreshStatistics)
      .catch((error) => console.error("hourly maintenance failed", error));
  await sweep();
  setInterval(sweep, 60 * 60_000).unref();
  // The audit chain's head is signed every ten minutes (and at every export), so that a rewrite
  // of the past would have to forge a signature made with a key derived from AUTH_SECRET.
  const checkpoint = () => takeCheckpoint(db.prisma).catch((error) => console.error("audit checkpoint failed", error));
  await checkpoint();
  setInterval(checkpoint, 10 * 60_000).unref();
  // Agents' activity is rolled up from the audit store and checked for anomalies every minute.
  const watch = () =>
    rollUpActivity(db.prisma)
      .then(() => detectAnomalies(db.prisma))
      .catch((error) => console.error("anomaly detection failed", error));
  await watch();
  setInterval(watch, 60_000).unref();

  const app = next({ dev, dir: process.cwd(), port: config.PORT, hostname: "0.0.0.0" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const provider = createProvider(config);

  // The one front door: request stamping, security headers, routing (server/http/front-door.ts).
  const server = createServer(frontDoor({ config, provider, next: (req, res) => handle(req, res), dev }));

  server.listen(config.PORT, () => {
    console.log(
      `Mandate is listening on ${config.publicUrl} (${db.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL"})`,
    );
  });

  const shutdown = (signal: string) => {
    console.log(`${signal}: shutting down`);
    server.close();
    // Close the database so that PGlite flushes and the DATA_DIR lock is released.
    void db.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
