import "server-only";
import { z } from "zod";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";

export const tenantSettingsSchema = z.object({
  review_period_days: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(7, "Reviews are at least 7 days apart.")
    .max(365, "Reviews are at most 365 days apart."),
});

export async function getTenantSettings(caller: Caller, tenantId: string) {
  assertCan(caller, "settings.read", tenantId);
  const tenant = await (await prisma()).tenant.findUniqueOrThrow({ where: { id: tenantId } });
  return { reviewPeriodDays: tenant.reviewPeriodDays, autoSuspendOnHighAnomaly: tenant.autoSuspendOnHighAnomaly };
}

/**
 * Changes a tenant's settings. The review period applies from the next activation or renewal;
 * review dates already set are left as they are.
 */
export async function updateTenantSettings(caller: Caller, tenantId: string, input: unknown) {
  const data = parseInput(tenantSettingsSchema, input);
  assertCan(caller, "settings.write", tenantId);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    const after = await tx.tenant.update({
      where: { id: tenantId },
      data: { reviewPeriodDays: data.review_period_days },
    });
    await recordAudit(tx, {
      action: "tenant.settings.update",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "tenant", id: tenantId },
      data: {
        before: { review_period_days: before.reviewPeriodDays },
        after: { review_period_days: after.reviewPeriodDays },
      },
    });
    return { reviewPeriodDays: after.reviewPeriodDays };
  });
}
