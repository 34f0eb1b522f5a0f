// Mandate's server: the console (Next.js) and the OAuth 2 authorization server (oidc-provider,
// under /oauth and /.well-known), behind one HTTP server. Run by `npm start` / `npm run dev`.
//
// On PostgreSQL, `npm start` is a primary and WORKERS worker processes (node:cluster) sharing
// PORT: the primary migrates and prepares the database and runs the background jobs, once; each
// worker opens a database pool of its own and serves requests. The embedded database (PGlite, one
// connection), WORKERS=1 and `npm run dev` are one process that does all of it.
import cluster from "node:cluster";
import { type Env, EnvError, env } from "./lib/env";
import { type Database, database } from "./server/db";
import { listen } from "./server/http/listen";
import { createProvider } from "./server/oauth/provider";
import { prepare } from "./server/startup";
import { backgroundJobs, startJobs } from "./server/startup/scheduler";
import { startWorkers } from "./server/startup/workers";

async function main() {
  const config = env();
  const dev = process.argv.includes("--dev");
  // next-auth reads these two itself.
  process.env.NEXTAUTH_URL = config.publicUrl;
  process.env.AUTH_SECRET = config.authSecret;

  if (cluster.isWorker) return worker(config);

  const db = await database();
  const report = await prepare(config);
  for (const m of report.messages) console.log(m);
  const workers = dev || config.embedded ? 1 : config.WORKERS;
  if (config.embedded) {
    console.log("Embedded database: one process (PGlite is a single connection); set DATABASE_URL to use every core.");
  }

  // The background jobs (review sweep, maintenance, audit checkpoints, anomaly detection) run once
  // now and then on their beats (server/startup/scheduler.ts), in this process only.
  const jobs = await startJobs(backgroundJobs(db.prisma, config));

  if (workers === 1) {
    const server = await serve(config, dev);
    const where = db.kind === "pglite" ? `embedded database in ${config.dataDir}` : "PostgreSQL, one process";
    console.log(`Mandate is listening on ${config.publicUrl} (${where})`);
    onSignal((signal) => {
      console.log(`${signal}: shutting down`);
      jobs.stop();
      return closeAll(server.close, db);
    });
    return;
  }

  const running = startWorkers(workers, {
    onListening: (n) =>
      console.log(
        `Mandate is listening on ${config.publicUrl} (PostgreSQL, ${n} worker processes; background jobs in the primary, pid ${process.pid})`,
      ),
  });
  onSignal(async (signal) => {
    console.log(`${signal}: stopping the workers`);
    jobs.stop();
    await running.stop();
    await db.close();
  });
}

/** A worker: its own database pool, Next and the authorization server, on the shared port. */
async function worker(config: Env) {
  const db = await database();
  const server = await serve(config, false);
  onSignal(() => closeAll(server.close, db));
  // Without its primary a worker receives no more connections: it finishes and goes.
  process.on("disconnect", () => void closeAll(server.close, db).finally(() => process.exit(0)));
}

async function serve(config: Env, dev: boolean) {
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), port: config.PORT, hostname: "0.0.0.0" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const provider = createProvider(config);
  // The one front door: request stamping, security headers, routing (server/http/front-door.ts).
  return listen({
    port: config.PORT,
    frontDoor: () => ({ config, provider, next: (req, res) => handle(req, res), dev }),
  });
}

/** Stops taking connections, answers what is under way, then closes the database (PGlite flushes, DATA_DIR unlocks). */
async function closeAll(close: () => Promise<void>, db: Database) {
  await close();
  await db.close();
}

/** On SIGINT or SIGTERM (once): stop, then exit; exit 1 if stopping takes more than 15 s. */
function onSignal(stop: (signal: string) => Promise<void>) {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 15_000).unref();
    stop(signal).then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => handler("SIGINT"));
  process.on("SIGTERM", () => handler("SIGTERM"));
}

main().catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
