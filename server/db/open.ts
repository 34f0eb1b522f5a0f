import { env } from "@/lib/env";
import { type Database, openDatabase } from "./client";
import { migrate } from "./migrate";

/**
 * Opens the configured database and brings its schema up to date. On PostgreSQL, requests run
 * with statement and connection timeouts (DB_STATEMENT_TIMEOUT_MS, DB_ACQUIRE_TIMEOUT_MS); the
 * migrations run on a connection of their own without them (an index on a large table takes
 * what it takes, and an instance waits for another's migrations as long as they run).
 */
export async function openAndMigrate(): Promise<Database> {
  const config = env();
  if (!config.DATABASE_URL) {
    const db = await openDatabase({ dataDir: config.dataDir });
    try {
      await migrate(db.sql);
    } catch (error) {
      await db.close();
      throw error;
    }
    return db;
  }
  const migrator = await openDatabase({ databaseUrl: config.DATABASE_URL });
  try {
    await migrate(migrator.sql);
  } finally {
    await migrator.close();
  }
  return openDatabase({
    databaseUrl: config.DATABASE_URL,
    timeouts: { statementMs: config.DB_STATEMENT_TIMEOUT_MS, acquireMs: config.DB_ACQUIRE_TIMEOUT_MS },
  });
}
