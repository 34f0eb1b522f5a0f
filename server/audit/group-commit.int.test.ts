import { describe, expect, it } from "vitest";
import { openDatabase } from "@/server/db/client";
import { testDatabaseUrl, testDb } from "@/tests/integration-setup";
import { verifyChain } from "../audit-log/verify";
import { recordAudit } from "./record";

// Group commit (group-commit.ts): events recorded with no transaction of their own are appended
// in batches, one statement per batch, and the chain comes out exactly as one event at a time.

const ping = (label: string, extra: { tenantId?: string } = {}) => ({
  action: "test.group_commit",
  outcome: "success" as const,
  actor: { type: "system" as const, label },
  ...extra,
});

/** Counts the statements the database's driver runs while fn runs. */
async function countingStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const sql = testDb().sql;
  const run = sql.run;
  let statements = 0;
  sql.run = (stmt, params) => {
    statements++;
    return run(stmt, params);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    sql.run = run;
  }
}

describe("group commit of the audit chain", () => {
  it("appends concurrent events in a few statements, each answered once committed, the chain intact", async () => {
    const db = testDb().prisma;
    const before = await db.auditEvent.count();
    const { statements } = await countingStatements(() =>
      Promise.all(Array.from({ length: 300 }, (_, i) => recordAudit(db, ping(`event ${i}`)))),
    );
    // Every promise above settled after its commit: all 300 are readable now.
    expect(await db.auditEvent.count()).toBe(before + 300);
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThanOrEqual(10);
    const events = await db.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { seq: true, actorLabel: true } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => BigInt(i + 1)));
    // Gathered in the order they were recorded.
    const labels = events.filter((e) => e.actorLabel?.startsWith("event ")).map((e) => e.actorLabel);
    expect(labels).toEqual(Array.from({ length: 300 }, (_, i) => `event ${i}`));
    expect(await verifyChain(db)).toMatchObject({ ok: true, unchained: 0 });
  });

  it("interleaves with events written inside transactions, on two connections pools at once", async () => {
    const db = testDb().prisma;
    const url = testDatabaseUrl();
    // On PostgreSQL a second pool stands for a second process; PGlite is one connection.
    const other = url ? await openDatabase({ databaseUrl: url }) : testDb();
    try {
      const before = await db.auditEvent.count();
      await Promise.all([
        ...Array.from({ length: 150 }, (_, i) => recordAudit(db, ping(`a ${i}`))),
        ...Array.from({ length: 150 }, (_, i) => recordAudit(other.prisma, ping(`b ${i}`))),
        ...Array.from({ length: 20 }, (_, i) =>
          db.$transaction((tx) => recordAudit(tx, ping(`tx ${i}`)), { timeout: 30_000 }),
        ),
      ]);
      expect(await db.auditEvent.count()).toBe(before + 320);
      const result = await verifyChain(db);
      expect(result).toMatchObject({ ok: true, unchained: 0, events: before + 320 });
    } finally {
      if (other !== testDb()) await other.close();
    }
  });

  it("fails only the event at fault: the rest of its batch is recorded", async () => {
    const db = testDb().prisma;
    const before = await db.auditEvent.count();
    const results = await Promise.allSettled([
      recordAudit(db, ping("fine 1")),
      // Not a uuid: the database refuses it (callers pass ids read from the database).
      recordAudit(db, ping("broken", { tenantId: "not-a-uuid" })),
      recordAudit(db, ping("fine 2")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await db.auditEvent.count()).toBe(before + 2);
    expect(await verifyChain(db)).toMatchObject({ ok: true });
  });
});
