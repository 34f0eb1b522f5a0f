// Applies prisma/migrations/*/migration.sql in order, recording each in Prisma's own
// _prisma_migrations table so that `prisma migrate status` agrees. Prisma's CLI cannot reach a
// PostgreSQL server on these machines (../shared/PLATFORM.md), so the app migrates itself at start.
// A PostgreSQL advisory lock makes two instances starting at once apply each migration once.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { SqlDriver } from "./client";

const LOCK_KEY = 7_411_202_611; // any constant shared by every Mandate instance

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = path.join(process.cwd(), "prisma", "migrations")): Migration[] {
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** Returns the names of the migrations this call applied. */
export async function migrate(sql: SqlDriver, migrations = readMigrations()): Promise<string[]> {
  return sql.withConnection(async (conn) => {
    await conn.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    try {
      await conn.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
      const rows = await conn.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations"
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
      const done: string[] = [];
      for (const m of migrations) {
        const checksum = applied.get(m.name);
        if (checksum !== undefined) {
          if (checksum !== m.checksum) {
            throw new Error(`Migration ${m.name} was changed after it was applied (checksum differs).`);
          }
          continue;
        }
        // Each migration and its record commit together, or not at all.
        if (!/^[\w-]+$/.test(m.name)) throw new Error(`Bad migration folder name: ${m.name}`);
        const record = `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
          VALUES ('${randomUUID()}', '${m.checksum}', now(), '${m.name}', 1);`;
        await conn.exec(`BEGIN;\n${m.sql}\n;\n${record}\nCOMMIT;`).catch(async (error) => {
          await conn.exec("ROLLBACK").catch(() => {});
          throw new Error(`Migration ${m.name} failed: ${(error as Error).message}`);
        });
        done.push(m.name);
      }
      return done;
    } finally {
      await conn.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]);
    }
  });
}
