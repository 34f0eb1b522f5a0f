import "server-only";
import { z } from "zod";
import { dpopRequiredSchema, maxDelegationDepthSchema } from "@/lib/schemas/tenants";
import { parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";

export const tenantSettingsSchema = z
  .object({
    review_period_days: z.coerce
      .number({ error: "Enter a number of days." })
      .int("Enter a whole number of days.")
      .min(7, "Reviews are at least 7 days apart.")
      .max(365, "Reviews are at most 365 days apart.")
      .optional(),
    max_delegation_depth: maxDelegationDepthSchema.optional(),
    dpop_required: dpopRequiredSchema.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), {
    path: ["review_period_days"],
    message: "Nothing to change.",
  });
type TenantSettingsInput = z.output<typeof tenantSettingsSchema>;

export async function getTenantSettings(caller: Caller, tenantId: string) {
  assertCan(caller, "settings.read", tenantId);
  const tenant = await (await prisma()).tenant.findUniqueOrThrow({ where: { id: tenantId } });
  return {
    reviewPeriodDays: tenant.reviewPeriodDays,
    autoSuspendOnHighAnomaly: tenant.autoSuspendOnHighAnomaly,
    maxDelegationDepth: tenant.maxDelegationDepth,
    dpopRequired: tenant.dpopRequired,
  };
}

/**
 * Changes a tenant's settings. The review period applies from the next activation or renewal;
 * review dates already set are left as they are. The delegation depth applies to the next token
 * exchange: tokens already issued stay valid. Requiring DPoP counts at once: the next token request
 * of every agent needs a proof, and the decision API denies unbound tokens from the next request.
 */
export async function updateTenantSettings(caller: Caller, tenantId: string, input: unknown) {
  const data = parseInput(tenantSettingsSchema, input);
  assertCan(caller, "settings.write", tenantId);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const after = await applyTenantSettings(tx, caller, tenantId, data);
    return {
      reviewPeriodDays: after.reviewPeriodDays,
      maxDelegationDepth: after.maxDelegationDepth,
      dpopRequired: after.dpopRequired,
    };
  });
}

/**
 * Writes the settings given and audits them, before and after, in the caller's transaction. The
 * caller has checked settings.write on the tenant.
 */
export async function applyTenantSettings(tx: Db, caller: Caller, tenantId: string, data: TenantSettingsInput) {
  const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } });
  const after = await tx.tenant.update({
    where: { id: tenantId },
    data: {
      reviewPeriodDays: data.review_period_days,
      maxDelegationDepth: data.max_delegation_depth,
      dpopRequired: data.dpop_required,
    },
  });
  const given = (field: keyof TenantSettingsInput) => data[field] !== undefined;
  const values = (t: typeof before) => ({
    ...(given("review_period_days") ? { review_period_days: t.reviewPeriodDays } : {}),
    ...(given("max_delegation_depth") ? { max_delegation_depth: t.maxDelegationDepth } : {}),
    ...(given("dpop_required") ? { dpop_required: t.dpopRequired } : {}),
  });
  await recordAudit(tx, {
    action: "tenant.settings.update",
    outcome: "success",
    actor: actorOf(caller),
    tenantId,
    target: { type: "tenant", id: tenantId },
    data: { before: values(before), after: values(after) },
  });
  return after;
}
