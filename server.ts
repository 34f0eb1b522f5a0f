// Mandate's one Node process: the console (Next.js) and the OAuth 2 authorization server
// (oidc-provider, under /oauth and /.well-known), behind one HTTP server. Run by `npm start` / `npm run dev`.
import next from "next";
import { EnvError, env } from "./lib/env";
import { database } from "./server/db";
import { listen } from "./server/http/listen";
import { createProvider } from "./server/oauth/provider";
import { prepare } from "./server/startup";
import { backgroundJobs, startJobs } from "./server/startup/scheduler";

async function main() {
  const config = env();
  const dev = process.argv.includes("--dev");
  // next-auth reads these two itself.
  process.env.NEXTAUTH_URL = config.publicUrl;
  process.env.AUTH_SECRET = config.authSecret;

  const db = await database();
  const report = await prepare(config);
  for (const m of report.messages) console.log(m);

  // The background jobs (review sweep, maintenance, audit checkpoints, anomaly detection) run once
  // now and then on their beats (server/startup/scheduler.ts).
  const jobs = await startJobs(backgroundJobs(db.prisma, config));

  const app = next({ dev, dir: process.cwd(), port: config.PORT, hostname: "0.0.0.0" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const provider = createProvider(config);

  // The one front door: request stamping, security headers, routing (server/http/front-door.ts).
  const { close } = await listen({
    port: config.PORT,
    frontDoor: () => ({ config, provider, next: (req, res) => handle(req, res), dev }),
  });
  console.log(
    `Mandate is listening on ${config.publicUrl} (${db.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL"})`,
  );

  const shutdown = (signal: string) => {
    console.log(`${signal}: shutting down`);
    jobs.stop();
    void close();
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
