// Databases for integration tests: an in-memory PGlite, or a fresh database on the PostgreSQL
// server named by TEST_DATABASE_URL (default: the one every machine of this project runs),
// created for one test file and dropped after it, so that runs never see each other's data.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { type Database, openDatabase } from "@/server/db/client";
import { migrate } from "@/server/db/migrate";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  db: Database;
  url?: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `mandate_test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        // pg's Pool.end() resolves before its connections are gone: wait for them (up to 5 s)
        // so that FORCE has nothing left to kill.
        for (let i = 0; i < 100; i++) {
          const { rows } = await c.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
            [name],
          );
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createTestDatabase(
  kind = process.env.MANDATE_TEST_DB ?? "pglite",
  { migrated = true } = {},
): Promise<TestDatabase> {
  if (kind === "postgres") {
    const { url, drop } = await createPostgresDatabase();
    const db = await openDatabase({ databaseUrl: url });
    if (migrated) await migrate(db.sql);
    return {
      db,
      url,
      async drop() {
        await db.close();
        await drop();
      },
    };
  }
  const db = await openDatabase({ memory: true });
  if (migrated) await migrate(db.sql);
  return { db, drop: () => db.close() };
}
