// npm run db:seed: seeds the demo world into an empty database (for example a PostgreSQL one,
// where Mandate seeds nothing by itself).
import { EnvError, parseEnv } from "../lib/env";
import { database, installDatabase } from "../server/db";
import { prepare } from "../server/startup";

try {
  const config = parseEnv({ ...process.env, SEED_DEMO: "true" });
  const db = await database();
  try {
    const report = await prepare(config);
    if (!report.seeded) console.log("The database already has users: nothing was seeded.");
    for (const m of report.messages) console.log(m);
  } finally {
    installDatabase(undefined);
    await db.close();
  }
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
