import { beforeAll, describe, expect, it } from "vitest";
import { ConflictError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { TEST_DATABASE_URL } from "@/tests/test-database";
import type { Caller } from "../auth/caller";
import { database, installDatabase, prisma } from "../db";
import { type Database, openDatabase } from "../db/client";
import { renewReview } from "./renew-review";
import { sweepOverdueReviews } from "./review-sweep";
import { transitionAgent } from "./transition-agent";

const DAY = 86_400_000;

let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let admin: Caller;

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
});

/** An agent in the status asked for, its review date moved to the one given. */
async function agentDue(tenantId: string, status: "pending" | "active" | "suspended" | "retired", due: Date) {
  const agent = await makeAgent(admin, tenantId, { status });
  return (await prisma()).agent.update({ where: { id: agent.id }, data: { reviewDueAt: due } });
}

const daysFromNow = (days: number) => new Date(Date.now() + days * DAY);
const sorted = (ids: string[]) => [...ids].sort();

async function suspensions(agentId: string) {
  return (await prisma()).agentStatusChange.findMany({ where: { agentId, toStatus: "SUSPENDED" } });
}

describe("the review sweep", () => {
  it("suspends active agents past their review, across tenants, and leaves every other agent alone", async () => {
    const overdueA = await agentDue(a.id, "active", daysFromNow(-1));
    const overdueB = await agentDue(b.id, "active", daysFromNow(-30));
    const notYet = await agentDue(a.id, "active", daysFromNow(1));
    const suspended = await agentDue(a.id, "suspended", daysFromNow(-5));
    const retired = await agentDue(a.id, "retired", daysFromNow(-5));
    const pending = await agentDue(a.id, "pending", daysFromNow(-5));
    const untouched = [notYet, suspended, retired, pending];
    const db = await prisma();
    const before = await db.agent.findMany({
      where: { id: { in: untouched.map((x) => x.id) } },
      orderBy: { id: "asc" },
    });
    const historyBefore = await db.agentStatusChange.count();

    const now = new Date();
    const swept = await sweepOverdueReviews(now);

    expect(sorted(swept)).toEqual(sorted([overdueA.id, overdueB.id]));
    for (const agent of [overdueA, overdueB]) {
      const row = await db.agent.findUniqueOrThrow({ where: { id: agent.id } });
      expect(row.status).toBe("SUSPENDED");
      expect(row.statusChangedAt).toEqual(now);
      // The review date stays in the past, so the agent cannot simply be resumed.
      expect(row.reviewDueAt).toEqual(agent.reviewDueAt);
      const history = await suspensions(agent.id);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject({
        fromStatus: "ACTIVE",
        actorType: "system",
        actorId: null,
        actorLabel: "review sweep",
        at: now,
      });
      expect(history[0].reason).toMatch(/review/i);
      const audit = await db.auditEvent.findFirstOrThrow({ where: { targetId: agent.id, action: "agent.suspend" } });
      expect(audit).toMatchObject({
        actorType: "system",
        actorLabel: "review sweep",
        tenantId: agent.tenantId,
        reason: history[0].reason,
      });
    }
    expect(await db.agentStatusChange.count()).toBe(historyBefore + 2);
    expect(
      await db.agent.findMany({ where: { id: { in: untouched.map((x) => x.id) } }, orderBy: { id: "asc" } }),
    ).toEqual(before);
  });

  it("suspends nothing when run a second time", async () => {
    const overdue = await agentDue(a.id, "active", daysFromNow(-2));
    expect(await sweepOverdueReviews()).toEqual([overdue.id]);
    const db = await prisma();
    const history = await db.agentStatusChange.count();
    const audit = await db.auditEvent.count();

    expect(await sweepOverdueReviews()).toEqual([]);
    expect(await db.agentStatusChange.count()).toBe(history);
    expect(await db.auditEvent.count()).toBe(audit);
    expect(await suspensions(overdue.id)).toHaveLength(1);
  });

  it("counts an agent due exactly now as overdue, and one due a millisecond later as not", async () => {
    const now = new Date();
    const dueNow = await agentDue(a.id, "active", now);
    const dueLater = await agentDue(a.id, "active", new Date(now.getTime() + 1));
    expect(await sweepOverdueReviews(now)).toEqual([dueNow.id]);
    expect((await (await prisma()).agent.findUniqueOrThrow({ where: { id: dueLater.id } })).status).toBe("ACTIVE");
    // Tidy up so later sweeps in this file see only their own agents.
    await transitionAgent(admin, dueLater.id, { transition: "retire", reason: "Test tidy-up" });
  });

  it("keeps a swept agent suspended until its owner renews the review", async () => {
    const overdue = await agentDue(a.id, "active", daysFromNow(-1));
    expect(await sweepOverdueReviews()).toEqual([overdue.id]);
    await expect(
      transitionAgent(admin, overdue.id, { transition: "resume", reason: "Needed again" }),
    ).rejects.toBeInstanceOf(ConflictError);
    await renewReview(admin, overdue.id, { reason: "Reviewed with the team" });
    const resumed = await transitionAgent(admin, overdue.id, { transition: "resume", reason: "Needed again" });
    expect(resumed.status).toBe("ACTIVE");
    expect(await sweepOverdueReviews()).toEqual([]);
  });

  it.runIf(process.env.MANDATE_TEST_DB === "postgres")(
    "suspends each overdue agent exactly once when several sweeps run at the same time",
    async () => {
      const overdue = [];
      for (let i = 0; i < 24; i++) overdue.push(await agentDue(i % 2 ? a.id : b.id, "active", daysFromNow(-1 - i)));
      const main = await database();
      const [{ name }] = await main.sql.query<{ name: string }>("SELECT current_database() AS name");
      const url = new URL(TEST_DATABASE_URL);
      url.pathname = `/${name}`;
      const others: Database[] = await Promise.all([1, 2].map(() => openDatabase({ databaseUrl: url.toString() })));
      try {
        const runs: Promise<string[]>[] = [];
        // Each sweep picks up the database installed when it is called, so each runs on its own pool.
        for (const db of [main, ...others]) {
          installDatabase(db);
          runs.push(sweepOverdueReviews());
        }
        installDatabase(main);
        const results = await Promise.all(runs);

        const all = results.flat();
        expect(all).toHaveLength(overdue.length);
        expect(sorted(all)).toEqual(sorted(overdue.map((x) => x.id)));
        const counts = await main.prisma.agentStatusChange.groupBy({
          by: ["agentId"],
          where: { agentId: { in: overdue.map((x) => x.id) }, toStatus: "SUSPENDED" },
          _count: { _all: true },
        });
        expect(counts).toHaveLength(overdue.length);
        expect(counts.every((c) => c._count._all === 1)).toBe(true);
        expect(
          await main.prisma.auditEvent.count({
            where: { action: "agent.suspend", targetId: { in: overdue.map((x) => x.id) } },
          }),
        ).toBe(overdue.length);
      } finally {
        installDatabase(main);
        await Promise.all(others.map((o) => o.close()));
      }
    },
  );
});
