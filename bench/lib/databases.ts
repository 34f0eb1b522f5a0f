// The databases a benchmark runs on: an in-memory PGlite, and a fresh database on the PostgreSQL
// server named by BENCH_DATABASE_URL (else TEST_DATABASE_URL, else the one every machine of this
// project runs), created for the run and dropped after it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { installDatabase } from "../../server/db";
import { type Database, openDatabase } from "../../server/db/client";
import { migrate } from "../../server/db/migrate";

export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export type BackendKind = "pglite" | "postgresql";
export const BACKENDS: BackendKind[] = ["pglite", "postgresql"];
export const BACKEND_LABEL: Record<BackendKind, string> = { pglite: "PGlite", postgresql: "PostgreSQL" };

export interface BenchDatabase {
  db: Database;
  kind: BackendKind;
  /** e.g. "PGlite 0.5.16 (PostgreSQL 17.5)" or "PostgreSQL 15.20". */
  version: string;
  /** PostgreSQL: the database's URL, for other processes (a second instance) to join. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Opens and migrates an empty database of the given kind and installs it as the process's
 * database (server/db prisma()), so that domain functions run against it.
 */
export async function openBenchDatabase(kind: BackendKind): Promise<BenchDatabase> {
  let drop = async () => {};
  let db: Database;
  let databaseUrl: string | undefined;
  if (kind === "postgresql") {
    const name = `mandate_bench_${Date.now()}_${randomBytes(4).toString("hex")}`;
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    drop = () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    const url = new URL(BENCH_DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    db = await openDatabase({ databaseUrl }).catch(async (error) => {
      await drop();
      throw error;
    });
  } else {
    db = await openDatabase({ memory: true });
  }
  try {
    await migrate(db.sql);
    const [{ server_version }] = await db.sql.query<{ server_version: string }>("SHOW server_version");
    const version =
      kind === "pglite" ? `PGlite ${pgliteVersion()} (PostgreSQL ${server_version})` : `PostgreSQL ${server_version}`;
    installDatabase(db);
    return {
      db,
      kind,
      version,
      url: databaseUrl,
      async close() {
        installDatabase(undefined);
        await db.close();
        await drop();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    await drop();
    throw error;
  }
}

async function admin(fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await c.connect();
  try {
    await fn(c);
  } finally {
    await c.end();
  }
}

export function pgliteVersion(): string {
  const file = path.join(process.cwd(), "node_modules", "@electric-sql", "pglite", "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
