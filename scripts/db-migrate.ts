// npm run db:migrate: applies pending migrations to the configured database and exits.
// (Mandate also does this by itself at every start.)
import { EnvError, env } from "../lib/env";
import { openDatabase } from "../server/db/client";
import { migrate } from "../server/db/migrate";

const config = env();
try {
  const db = await openDatabase(
    config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.dataDir },
  );
  try {
    const applied = await migrate(db.sql);
    console.log(applied.length ? `Applied ${applied.join(", ")}` : "The database is up to date.");
  } finally {
    await db.close();
  }
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
