import { env } from "@/lib/env";
import { type Database, openDatabase } from "../db/client";
import { migrate } from "../db/migrate";

/** Opens the configured database and brings its schema up to date. */
export async function openAndMigrate(): Promise<Database> {
  const config = env();
  const db = await openDatabase(
    config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.dataDir },
  );
  try {
    await migrate(db.sql);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
