// Works around a teardown race in the PostgreSQL test databases. pg's Pool.end() resolves before
// its clients have actually disconnected, and tests/integration-setup.ts then runs
// DROP DATABASE ... WITH (FORCE), which kills any client still closing. That client's error event
// reaches the pool, which has no "error" listener left (Prisma removes its own on $disconnect), so
// it surfaces as an unhandled error and fails the run. Files that use several pooled connections
// at once (Promise.all queries, concurrency tests) hit it now and then.

import pg from "pg";
import { afterAll } from "vitest";
import { database } from "@/server/db";
import { TEST_DATABASE_URL } from "./test-database";

/** Closes the file's PostgreSQL database and waits until its connections are gone. */
export async function closePostgresQuietly(): Promise<void> {
  const db = await database();
  if (db.kind !== "postgresql") return;
  const [{ name }] = await db.sql.query<{ name: string }>("SELECT current_database() AS name");
  await db.close(); // integration-setup closes it again; a second Pool.end() is a caught no-op.
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
      if (rows[0].n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
}

/** Registers closePostgresQuietly to run before integration-setup drops the database. */
export function settlePostgresConnections(): void {
  afterAll(closePostgresQuietly);
}
