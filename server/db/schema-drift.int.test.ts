import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { SqlDriver } from "./client";
import { openDatabase } from "./client";
import { migrate } from "./migrate";

// Guards against a migration that does not match prisma/schema.prisma (a forgotten migration, or
// one edited by hand): the database the migrations build must be the one the schema describes.
// Objects Prisma's schema language cannot express are added by hand in migrations; they are
// listed here, and only they may differ.
const HAND_WRITTEN_INDEXES = new Set([
  "scopes_global_name_key",
  "roles_global_name_key",
  "agents_name_trgm_idx",
  "audit_events_actor_label_trgm_idx",
  "users_name_trgm_idx",
  "users_email_trgm_idx",
]);
async function catalog(sql: SqlDriver) {
  const columns = await sql.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`,
  );
  const indexes = await sql.query<{ indexname: string }>(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'
      ORDER BY tablename, indexname`,
  );
  const constraints = await sql.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '"_prisma_migrations"' AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`,
  );
  const enums = await sql.query(
    `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`,
  );
  return { columns, indexes: indexes.filter((i) => !HAND_WRITTEN_INDEXES.has(i.indexname)), constraints, enums };
}

describe.runIf(process.env.MANDATE_TEST_DB === "pglite")("schema drift", () => {
  it("the committed migrations build exactly the database prisma/schema.prisma describes", async () => {
    const diff = spawnSync(
      "npx",
      ["prisma", "migrate", "diff", "--from-empty", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(diff.status, diff.stderr).toBe(0);
    const fromSchema = await openDatabase({ memory: true });
    const fromMigrations = await openDatabase({ memory: true });
    try {
      await fromSchema.sql.exec(diff.stdout);
      await migrate(fromMigrations.sql);
      expect(await catalog(fromMigrations.sql)).toEqual(await catalog(fromSchema.sql));
    } finally {
      await fromSchema.close();
      await fromMigrations.close();
    }
  }, 180_000); // two Prisma CLI runs, each a process of its own
});
