import { beforeAll, describe, expect, it } from "vitest";
import type { AgentStatus, Transition } from "@/lib/agent-lifecycle";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { type Caller, loadUserCaller, type UserCaller } from "../auth/caller";
import { prisma } from "../db";
import { renewReview } from "./renew-review";
import { transitionAgent, transitionAgents } from "./transition-agent";

const DAY = 86_400_000;

let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let admin: Caller;
let ownerA: UserCaller;
let auditorA: Caller;
let memberOwner: Caller;
let memberBackup: Caller;
let otherMember: Caller;

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  admin = await makeCaller({ global: "security_admin" });
  ownerA = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
  auditorA = await makeCaller({ tenants: { [a.id]: "auditor" } });
  memberOwner = await makeCaller({ tenants: { [a.id]: "member" } });
  memberBackup = await makeCaller({ tenants: { [a.id]: "member" } });
  otherMember = await makeCaller({ tenants: { [a.id]: "member" } });
});

/** The agent row and how many history and audit rows it has, to prove a refusal changed nothing. */
async function snapshot(agentId: string) {
  const db = await prisma();
  return {
    agent: await db.agent.findUniqueOrThrow({ where: { id: agentId } }),
    history: await db.agentStatusChange.count({ where: { agentId } }),
    audit: await db.auditEvent.count({ where: { targetId: agentId } }),
  };
}

async function lastHistory(agentId: string) {
  return (await prisma()).agentStatusChange.findFirstOrThrow({ where: { agentId }, orderBy: { id: "desc" } });
}

async function lastAudit(agentId: string) {
  return (await prisma()).auditEvent.findFirstOrThrow({ where: { targetId: agentId }, orderBy: { id: "desc" } });
}

async function setReviewDue(agentId: string, reviewDueAt: Date | null) {
  await (await prisma()).agent.update({ where: { id: agentId }, data: { reviewDueAt } });
}

describe("legal lifecycle transitions", () => {
  const legal: [Transition, AgentStatus, AgentStatus][] = [
    ["activate", "pending", "active"],
    ["suspend", "active", "suspended"],
    ["resume", "suspended", "active"],
    ["retire", "pending", "retired"],
    ["retire", "active", "retired"],
    ["retire", "suspended", "retired"],
  ];

  it.each(legal)(
    "%s moves a %s agent to %s, recording who and why in history and audit",
    async (transition, from, to) => {
      const agent = await makeAgent(ownerA, a.id, { status: from });
      const before = await snapshot(agent.id);
      const reason = `Because of ticket SEC-${transition}`;

      const updated = await transitionAgent(ownerA, agent.id, { transition, reason });

      expect(updated.status).toBe(to.toUpperCase());
      const after = await snapshot(agent.id);
      expect(after.agent.status).toBe(to.toUpperCase());
      expect(after.agent.statusChangedAt.getTime()).toBeGreaterThanOrEqual(before.agent.statusChangedAt.getTime());
      expect(after.history).toBe(before.history + 1);
      expect(after.audit).toBe(before.audit + 1);

      const history = await lastHistory(agent.id);
      expect(history).toMatchObject({
        fromStatus: from.toUpperCase(),
        toStatus: to.toUpperCase(),
        actorType: "user",
        actorId: ownerA.id,
        actorLabel: ownerA.email,
        reason,
      });
      const audit = await lastAudit(agent.id);
      expect(audit).toMatchObject({
        action: `agent.${transition}`,
        outcome: "success",
        actorType: "user",
        actorId: ownerA.id,
        tenantId: a.id,
        targetType: "agent",
        reason,
      });
      expect(audit.data).toMatchObject({ before: { status: from }, after: { status: to } });
    },
  );

  it("activation stamps activatedAt and puts the review the tenant's default 90 days ahead", async () => {
    const agent = await makeAgent(ownerA, a.id);
    expect(agent.activatedAt).toBeNull();
    expect(agent.reviewDueAt).toBeNull();
    const t0 = Date.now();
    const updated = await transitionAgent(ownerA, agent.id, { transition: "activate", reason: "Go live" });
    const t1 = Date.now();

    expect(a.reviewPeriodDays).toBe(90);
    const activatedAt = updated.activatedAt?.getTime() ?? Number.NaN;
    expect(activatedAt).toBeGreaterThanOrEqual(t0 - 5);
    expect(activatedAt).toBeLessThanOrEqual(t1 + 5);
    expect(updated.reviewDueAt?.getTime()).toBe(activatedAt + 90 * DAY);
    expect((await lastAudit(agent.id)).data).toMatchObject({
      after: { status: "active", review_due_at: updated.reviewDueAt?.toISOString() },
    });
  });

  it("activation uses the tenant's own review period", async () => {
    const short = await makeTenant();
    await (await prisma()).tenant.update({ where: { id: short.id }, data: { reviewPeriodDays: 30 } });
    const agent = await makeAgent(admin, short.id);
    const updated = await transitionAgent(admin, agent.id, { transition: "activate", reason: "Go live" });
    expect((updated.reviewDueAt?.getTime() ?? 0) - (updated.activatedAt?.getTime() ?? 0)).toBe(30 * DAY);
  });
});

describe("illegal lifecycle transitions", () => {
  const illegal: [Transition, AgentStatus][] = [
    ["suspend", "pending"],
    ["resume", "pending"],
    ["resume", "active"],
    ["activate", "active"],
    ["activate", "suspended"],
    ["suspend", "suspended"],
    ["activate", "retired"],
    ["suspend", "retired"],
    ["resume", "retired"],
    ["retire", "retired"],
  ];

  it.each(illegal)("%s on a %s agent is a 409 Conflict and changes nothing", async (transition, from) => {
    const agent = await makeAgent(ownerA, a.id, { status: from });
    const before = await snapshot(agent.id);

    const error = await transitionAgent(ownerA, agent.id, { transition, reason: "Should not happen" }).catch((e) => e);

    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.message).toMatch(from === "retired" ? /retirement is final/ : new RegExp(`that is ${from}`));
    expect(await snapshot(agent.id)).toEqual(before);
  });

  it("refuses a reason shorter than 3 characters, naming reason, and changes nothing", async () => {
    const agent = await makeAgent(ownerA, a.id, { status: "active" });
    const before = await snapshot(agent.id);
    for (const reason of ["no", "  x  ", "", undefined]) {
      const error = await transitionAgent(ownerA, agent.id, { transition: "suspend", reason }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)).toEqual(["reason"]);
    }
    const bulk = await transitionAgents(ownerA, { ids: [agent.id], transition: "suspend", reason: "no" }).catch(
      (e) => e,
    );
    expect(bulk).toBeInstanceOf(ValidationError);
    expect(Object.keys(bulk.details)).toEqual(["reason"]);
    expect(await snapshot(agent.id)).toEqual(before);
  });

  it("refuses an unknown transition, naming transition", async () => {
    const agent = await makeAgent(ownerA, a.id);
    const before = await snapshot(agent.id);
    const error = await transitionAgent(ownerA, agent.id, { transition: "explode", reason: "Why not" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details)).toEqual(["transition"]);
    expect(await snapshot(agent.id)).toEqual(before);
  });
});

describe("reviews", () => {
  it("refuses to resume an agent whose review is overdue until the review is renewed", async () => {
    const agent = await makeAgent(ownerA, a.id, { status: "suspended" });
    await setReviewDue(agent.id, new Date(Date.now() - DAY));
    const before = await snapshot(agent.id);

    const error = await transitionAgent(ownerA, agent.id, { transition: "resume", reason: "Back to work" }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toMatch(/review is overdue/);
    expect(await snapshot(agent.id)).toEqual(before);

    const t0 = Date.now();
    const renewed = await renewReview(ownerA, agent.id, { reason: "Still needed for payroll" });
    expect(renewed.status).toBe("SUSPENDED");
    expect(renewed.reviewDueAt?.getTime()).toBeGreaterThanOrEqual(t0 + 90 * DAY - 5);
    expect(renewed.reviewDueAt?.getTime()).toBeLessThanOrEqual(Date.now() + 90 * DAY + 5);
    const audit = await lastAudit(agent.id);
    expect(audit).toMatchObject({ action: "agent.renew", actorId: ownerA.id, reason: "Still needed for payroll" });
    expect(audit.data).toMatchObject({
      before: { review_due_at: before.agent.reviewDueAt?.toISOString() },
      after: { review_due_at: renewed.reviewDueAt?.toISOString() },
    });

    const resumed = await transitionAgent(ownerA, agent.id, { transition: "resume", reason: "Back to work" });
    expect(resumed.status).toBe("ACTIVE");
    // Resuming keeps the renewed review date.
    expect(resumed.reviewDueAt).toEqual(renewed.reviewDueAt);
  });

  it("lets the agent's owner or backup owner renew the review even when they are only members", async () => {
    const agent = await makeAgent(ownerA, a.id, {
      status: "active",
      owner: memberOwner.id,
      backup_owner: memberBackup.id,
    });
    await setReviewDue(agent.id, new Date(Date.now() + 3 * DAY));

    const byOwner = await renewReview(memberOwner, agent.id);
    expect(byOwner.reviewDueAt?.getTime()).toBeGreaterThan(Date.now() + 89 * DAY);
    expect(await lastAudit(agent.id)).toMatchObject({
      action: "agent.renew",
      actorId: memberOwner.id,
      reason: "Review renewed",
    });

    await setReviewDue(agent.id, new Date(Date.now() + 3 * DAY));
    const byBackup = await renewReview(memberBackup, agent.id, { reason: "Still in use" });
    expect(byBackup.reviewDueAt?.getTime()).toBeGreaterThan(Date.now() + 89 * DAY);
    expect(await lastAudit(agent.id)).toMatchObject({ action: "agent.renew", actorId: memberBackup.id });
  });

  it("refuses renewal by a member who does not own the agent, and by an auditor, changing nothing", async () => {
    const agent = await makeAgent(ownerA, a.id, { status: "active", owner: memberOwner.id });
    await setReviewDue(agent.id, new Date(Date.now() + 3 * DAY));
    const before = await snapshot(agent.id);
    await expect(renewReview(otherMember, agent.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(renewReview(auditorA, agent.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await snapshot(agent.id)).toEqual(before);
  });

  it("stops an owner from renewing once they no longer belong to the agent's tenant", async () => {
    const leaving = await makeCaller({ tenants: { [a.id]: "member" } });
    const agent = await makeAgent(ownerA, a.id, { status: "active", owner: leaving.id });
    await (await prisma()).membership.deleteMany({ where: { userId: leaving.id } });
    const reloaded = await loadUserCaller(await prisma(), leaving.id);
    if (!reloaded) throw new Error("caller not loaded");
    const before = await snapshot(agent.id);
    await expect(renewReview(reloaded, agent.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await snapshot(agent.id)).toEqual(before);
  });

  it("refuses renewal with a too-short reason, naming reason, and on a retired agent", async () => {
    const agent = await makeAgent(ownerA, a.id, { status: "active" });
    const before = await snapshot(agent.id);
    const error = await renewReview(ownerA, agent.id, { reason: "ok" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys(error.details)).toEqual(["reason"]);
    expect(await snapshot(agent.id)).toEqual(before);

    const retired = await makeAgent(ownerA, a.id, { status: "retired" });
    const retiredBefore = await snapshot(retired.id);
    await expect(renewReview(ownerA, retired.id)).rejects.toBeInstanceOf(ConflictError);
    expect(await snapshot(retired.id)).toEqual(retiredBefore);
  });
});

describe("bulk transitions", () => {
  it("returns a result per id: ok for legal ones, the reason for illegal ones, not-found for another tenant's", async () => {
    const active1 = await makeAgent(ownerA, a.id, { status: "active" });
    const active2 = await makeAgent(ownerA, a.id, { status: "active" });
    const pending = await makeAgent(ownerA, a.id);
    const foreign = await makeAgent(admin, b.id, { status: "active" });
    const pendingBefore = await snapshot(pending.id);
    const foreignBefore = await snapshot(foreign.id);

    const results = await transitionAgents(ownerA, {
      ids: [active1.id, pending.id, active2.id, foreign.id, active1.id],
      transition: "suspend",
      reason: "Incident INC-42",
    });

    expect(results).toEqual([
      { id: active1.id, ok: true },
      { id: pending.id, ok: false, error: expect.stringMatching(/Cannot suspend an agent that is pending/) },
      { id: active2.id, ok: true },
      { id: foreign.id, ok: false, error: expect.stringMatching(/No such agent/) },
    ]);
    for (const id of [active1.id, active2.id]) {
      const row = await snapshot(id);
      expect(row.agent.status).toBe("SUSPENDED");
      expect(await lastHistory(id)).toMatchObject({ toStatus: "SUSPENDED", reason: "Incident INC-42" });
      expect(await lastAudit(id)).toMatchObject({ action: "agent.suspend", reason: "Incident INC-42" });
    }
    // The duplicate id was acted on once.
    expect(
      await (await prisma()).agentStatusChange.count({ where: { agentId: active1.id, toStatus: "SUSPENDED" } }),
    ).toBe(1);
    expect(await snapshot(pending.id)).toEqual(pendingBefore);
    expect(await snapshot(foreign.id)).toEqual(foreignBefore);

    const resumed = await transitionAgents(ownerA, {
      ids: [active1.id, pending.id],
      transition: "resume",
      reason: "Incident closed",
    });
    expect(resumed.map((r) => r.ok)).toEqual([true, false]);
  });

  it("refuses malformed ids and transitions other than suspend and resume before touching anything", async () => {
    const agent = await makeAgent(ownerA, a.id, { status: "active" });
    const before = await snapshot(agent.id);
    const badId = await transitionAgents(ownerA, {
      ids: [agent.id, "not-a-uuid"],
      transition: "suspend",
      reason: "Tidy up",
    }).catch((e) => e);
    expect(badId).toBeInstanceOf(ValidationError);
    expect(Object.keys(badId.details)).toEqual(["ids.1"]);
    const retire = await transitionAgents(ownerA, { ids: [agent.id], transition: "retire", reason: "Tidy up" }).catch(
      (e) => e,
    );
    expect(retire).toBeInstanceOf(ValidationError);
    expect(Object.keys(retire.details)).toEqual(["transition"]);
    const none = await transitionAgents(ownerA, { ids: [], transition: "suspend", reason: "Tidy up" }).catch((e) => e);
    expect(none).toBeInstanceOf(ValidationError);
    expect(await snapshot(agent.id)).toEqual(before);
  });
});

describe.runIf(process.env.MANDATE_TEST_DB === "postgres")("concurrent transitions (PostgreSQL)", () => {
  it("lets exactly one of several simultaneous suspensions of one agent succeed", async () => {
    const agent = await makeAgent(ownerA, a.id, { status: "active" });
    const before = await snapshot(agent.id);
    const outcomes = await Promise.allSettled(
      [1, 2, 3, 4].map((n) => transitionAgent(ownerA, agent.id, { transition: "suspend", reason: `Racer ${n}` })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === "rejected") {
        expect(o.reason).toBeInstanceOf(DomainError);
        expect(o.reason.status).toBe(409);
      }
    }
    const after = await snapshot(agent.id);
    expect(after.agent.status).toBe("SUSPENDED");
    expect(after.history).toBe(before.history + 1);
    expect(after.audit).toBe(before.audit + 1);
  });
});
