import { beforeAll, describe, expect, it } from "vitest";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { makeAgent, makeCaller, makeTenant } from "@/tests/factories";
import { transitionAgent } from "../agents/transition-agent";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { getTenantSettings, updateTenantSettings } from "./update-settings";

let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;
let ownerA: Caller;
let auditorA: Caller;

beforeAll(async () => {
  a = await makeTenant();
  b = await makeTenant();
  ownerA = await makeCaller({ tenants: { [a.id]: "tenant_owner" } });
  auditorA = await makeCaller({ tenants: { [a.id]: "auditor" } });
});

describe("tenant settings", () => {
  it("an owner sets the review period; the next activation uses it, and the change is audited", async () => {
    expect(await getTenantSettings(ownerA, a.id)).toEqual({
      reviewPeriodDays: 90,
      autoSuspendOnHighAnomaly: false,
      maxDelegationDepth: 3,
      dpopRequired: false,
    });
    await updateTenantSettings(ownerA, a.id, { review_period_days: "30" });
    const agent = await makeAgent(ownerA, a.id);
    const before = Date.now();
    await transitionAgent(ownerA, agent.id, { transition: "activate", reason: "Go live" });
    const row = await (await prisma()).agent.findUniqueOrThrow({ where: { id: agent.id } });
    const days = ((row.reviewDueAt?.getTime() ?? 0) - before) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    const event = await (await prisma()).auditEvent.findFirst({
      where: { action: "tenant.settings.update", tenantId: a.id },
    });
    expect(event?.data).toEqual({ before: { review_period_days: 90 }, after: { review_period_days: 30 } });
  });

  it.each([["3"], ["400"], ["12.5"], ["soon"], [""]])(
    "refuses %j naming the field, and changes nothing",
    async (value) => {
      const error = await updateTenantSettings(ownerA, a.id, { review_period_days: value }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)).toEqual(["review_period_days"]);
      expect((await getTenantSettings(ownerA, a.id)).reviewPeriodDays).toBe(30);
    },
  );

  it("an owner sets the delegation depth (1 to 10), audited alone; out of range changes nothing", async () => {
    await updateTenantSettings(ownerA, a.id, { max_delegation_depth: 5 });
    expect((await getTenantSettings(ownerA, a.id)).maxDelegationDepth).toBe(5);
    const event = await (await prisma()).auditEvent.findFirst({
      where: { action: "tenant.settings.update", tenantId: a.id },
      orderBy: { id: "desc" },
    });
    expect(event?.data).toEqual({ before: { max_delegation_depth: 3 }, after: { max_delegation_depth: 5 } });
    for (const value of [0, 11, 2.5, "deep"]) {
      const error = await updateTenantSettings(ownerA, a.id, { max_delegation_depth: value }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys(error.details)).toEqual(["max_delegation_depth"]);
    }
    const error = await updateTenantSettings(ownerA, a.id, {}).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(await getTenantSettings(ownerA, a.id)).toMatchObject({ reviewPeriodDays: 30, maxDelegationDepth: 5 });
  });

  it("an auditor can neither read nor change them; another tenant's owner gets nothing", async () => {
    await expect(getTenantSettings(auditorA, a.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateTenantSettings(auditorA, a.id, { review_period_days: 60 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(updateTenantSettings(auditorA, a.id, { max_delegation_depth: 9 })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(updateTenantSettings(ownerA, b.id, { review_period_days: 60 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(updateTenantSettings(ownerA, b.id, { max_delegation_depth: 9 })).rejects.toBeInstanceOf(NotFoundError);
    expect((await (await prisma()).tenant.findUniqueOrThrow({ where: { id: b.id } })).reviewPeriodDays).toBe(90);
    expect((await (await prisma()).tenant.findUniqueOrThrow({ where: { id: b.id } })).maxDelegationDepth).toBe(3);
  });
});
