import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/tests/test-database";
import { openDatabase } from "./client";
import { migrate, readMigrations } from "./migrate";

const kind = process.env.MANDATE_TEST_DB;

describe(`migrations (${kind})`, () => {
  it("applies every committed migration once, records it for Prisma, and is a no-op after", async () => {
    const t = await createTestDatabase(kind, { migrated: false });
    try {
      const all = readMigrations().map((m) => m.name);
      expect(all.length).toBeGreaterThan(0);
      expect(await migrate(t.db.sql)).toEqual(all);
      expect(await migrate(t.db.sql)).toEqual([]);
      const rows = await t.db.sql.query<{ migration_name: string }>(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(all);
      // The schema is usable through Prisma.
      await t.db.prisma.tenant.create({ data: { slug: "migrated", name: "Migrated" } });
      expect(await t.db.prisma.tenant.count()).toBe(1);
    } finally {
      await t.drop();
    }
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const t = await createTestDatabase(kind, { migrated: false });
    try {
      const migrations = readMigrations();
      await migrate(t.db.sql, migrations);
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: "0".repeat(64) } : m));
      await expect(migrate(t.db.sql, edited)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await t.drop();
    }
  });

  it("leaves nothing behind when a migration fails", async () => {
    const t = await createTestDatabase(kind, { migrated: false });
    try {
      const broken = [
        {
          name: "20990101000000_broken",
          checksum: "x",
          sql: "CREATE TABLE half_done (id int); SELECT no_such_function();",
        },
      ];
      await expect(migrate(t.db.sql, broken)).rejects.toThrow(/Migration 20990101000000_broken failed/);
      const tables = await t.db.sql.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
      expect(tables).toEqual([]);
      const recorded = await t.db.sql.query(
        `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`,
      );
      expect(recorded).toEqual([]);
    } finally {
      await t.drop();
    }
  });

  it.runIf(kind === "postgres")(
    "applies each migration once when several instances start at the same moment",
    async () => {
      const t = await createTestDatabase(kind, { migrated: false });
      const instances = await Promise.all(
        Array.from({ length: 4 }, () => openDatabase({ databaseUrl: t.url as string })),
      );
      try {
        const results = await Promise.all(instances.map((db) => migrate(db.sql)));
        const applied = results.flat();
        expect(applied.sort()).toEqual(readMigrations().map((m) => m.name));
        const rows = await t.db.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM "_prisma_migrations"`);
        expect(rows[0].n).toBe(String(readMigrations().length));
      } finally {
        await Promise.all(instances.map((db) => db.close()));
        await t.drop();
      }
    },
  );
});
