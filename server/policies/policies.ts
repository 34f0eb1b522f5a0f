import "server-only";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { can, canGlobally } from "@/lib/permissions";
import {
  createPolicySchema,
  rollbackPolicySchema,
  updatePolicySchema,
  validatePolicySchema,
} from "@/lib/schemas/policies";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCanGlobally, reach, tenantWhere } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, isUniqueViolation, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { tenantForInput } from "../tenants/resolve-tenant";
import { analyzePolicy, type PolicyAnalysis } from "./cedar";

// Policies: Cedar text, one statement each, global (security admins) or a tenant's own. Every
// change is a new version, validated against the schema first, and audited with before and after.

/**
 * The actions a policy may name: the scopes usable where it applies (global ones and the
 * tenant's own for a tenant policy; every scope for a global one, written by security admins).
 */
export async function knownActions(db: Db, tenantId: string | null = null): Promise<string[]> {
  const rows = await db.scope.findMany({
    where: tenantId ? { OR: [{ tenantId: null }, { tenantId }] } : {},
    distinct: ["name"],
    select: { name: true },
  });
  return rows.map((r) => r.name);
}

function rejectInvalid(analysis: PolicyAnalysis): void {
  if (analysis.ok) return;
  throw new ValidationError(
    {
      text: analysis.problems.map((p) =>
        p.line ? `Line ${p.line}, column ${p.column}: ${p.message}${p.help ? ` (${p.help})` : ""}` : p.message,
      ),
    },
    "The policy is not valid Cedar for Mandate's schema.",
  );
}

function assertPolicyWrite(caller: Caller, tenantId: string | null): void {
  if (tenantId === null) assertCanGlobally(caller, "policies.write");
  else if (!can(caller.roles, "policies.write", tenantId)) {
    if (can(caller.roles, "tenant.read", tenantId)) assertCanGlobally(caller, "policies.write");
    throw new NotFoundError("tenant");
  }
}

async function policyFor(db: Db, caller: Caller, id: string) {
  if (!isUuid(id)) throw new NotFoundError("policy");
  const policy = await db.policy.findUnique({ where: { id } });
  if (!policy) throw new NotFoundError("policy");
  const readable = policy.tenantId ? can(caller.roles, "policies.read", policy.tenantId) : readsPolicies(caller);
  if (!readable) throw new NotFoundError("policy");
  return policy;
}

/** Global policies are read by anyone who reads policies somewhere. */
function readsPolicies(caller: Caller): boolean {
  const tenants = reach(caller, "policies.read");
  return tenants === "all" || tenants.length > 0;
}

/** The policies that apply in a tenant, as its Policies page lists them: the global ones and its own. */
export function policiesOfTenant(tenantId: string): Prisma.PolicyWhereInput {
  return { OR: [{ tenantId: null }, { tenantId }] };
}

export async function listPolicies(caller: Caller, input: { tenant?: string } = {}) {
  if (!readsPolicies(caller)) throw new ForbiddenError();
  const db = await prisma();
  const scope = tenantWhere(caller, "policies.read");
  const tenantId = input.tenant ? (await tenantForInput(db, caller, input.tenant, "policies.read")).id : undefined;
  const rows = await db.policy.findMany({
    where: tenantId
      ? policiesOfTenant(tenantId)
      : {
          OR: [
            { tenantId: null },
            ...(scope.tenantId ? [{ tenantId: scope.tenantId }] : [{ tenantId: { not: null } }]),
          ],
        },
    orderBy: [{ tenantId: { sort: "asc", nulls: "first" } }, { name: "asc" }],
    take: 2000,
  });
  return rows;
}

export async function getPolicy(caller: Caller, id: string) {
  const db = await prisma();
  const policy = await policyFor(db, caller, id);
  const versions = await db.policyVersion.findMany({ where: { policyId: id }, orderBy: { version: "desc" } });
  return { ...policy, versions };
}

/** Validates text as the editor types: never stores anything. */
export async function validatePolicyText(caller: Caller, input: unknown): Promise<PolicyAnalysis> {
  const { text, tenant } = parseInput(validatePolicySchema, input);
  if (!readsPolicies(caller)) throw new ForbiddenError();
  const db = await prisma();
  const tenantId = tenant ? (await tenantForInput(db, caller, tenant, "policies.read")).id : null;
  return analyzePolicy(text, await knownActions(db, tenantId));
}

export async function createPolicy(caller: Caller, input: unknown) {
  const data = parseInput(createPolicySchema, input);
  const db = await prisma();
  try {
    return await db.$transaction(async (tx) => {
      const tenantId =
        data.tenant === null ? null : (await tenantForInput(tx, caller, data.tenant, "policies.write")).id;
      assertPolicyWrite(caller, tenantId);
      const analysis = analyzePolicy(data.text, await knownActions(tx, tenantId));
      rejectInvalid(analysis);
      const actor = actorOf(caller);
      const policy = await tx.policy.create({
        data: {
          tenantId,
          name: data.name,
          description: data.description,
          text: data.text,
          enabled: data.enabled,
          effect: analysis.effect ?? "permit",
          actions: analysis.actions,
          requiresApproval: analysis.requiresApproval,
          versions: {
            create: {
              version: 1,
              name: data.name,
              description: data.description,
              text: data.text,
              enabled: data.enabled,
              note: "Created",
              createdById: actor.id,
              createdByLabel: actor.label,
            },
          },
        },
      });
      await recordAudit(tx, {
        action: "policy.create",
        outcome: "success",
        actor,
        tenantId,
        target: { type: "policy", id: policy.id },
        data: { after: { name: policy.name, text: policy.text, enabled: policy.enabled, version: 1 } },
      });
      return policy;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ConflictError("A policy with that name exists.", { name: ["Already in use."] });
    throw error;
  }
}

export async function updatePolicy(caller: Caller, id: string, input: unknown) {
  const data = parseInput(updatePolicySchema, input);
  const db = await prisma();
  try {
    return await db.$transaction(async (tx) => {
      const before = await policyFor(tx, caller, id);
      assertPolicyWrite(caller, before.tenantId);
      const text = data.text ?? before.text;
      const unchanged =
        (data.name ?? before.name) === before.name &&
        (data.description ?? before.description) === before.description &&
        text === before.text &&
        (data.enabled ?? before.enabled) === before.enabled;
      if (unchanged) return before; // no empty versions
      if (data.name !== undefined && data.name !== before.name) {
        const taken = await tx.policy.findFirst({
          where: { tenantId: before.tenantId, name: data.name, id: { not: id } },
          select: { id: true },
        });
        if (taken) throw new ConflictError("A policy with that name exists.", { name: ["Already in use."] });
      }
      const analysis = analyzePolicy(text, await knownActions(tx, before.tenantId));
      if (data.text !== undefined) rejectInvalid(analysis);
      const version = before.version + 1;
      const actor = actorOf(caller);
      const after = await tx.policy.update({
        where: { id, version: before.version },
        data: {
          name: data.name ?? before.name,
          description: data.description ?? before.description,
          text,
          enabled: data.enabled ?? before.enabled,
          effect: analysis.effect ?? before.effect,
          actions: analysis.ok ? analysis.actions : before.actions,
          requiresApproval: analysis.ok ? analysis.requiresApproval : before.requiresApproval,
          version,
          versions: {
            create: {
              version,
              name: data.name ?? before.name,
              description: data.description ?? before.description,
              text,
              enabled: data.enabled ?? before.enabled,
              note: data.note,
              createdById: actor.id,
              createdByLabel: actor.label,
            },
          },
        },
      });
      await recordAudit(tx, {
        action: "policy.update",
        outcome: "success",
        actor,
        tenantId: before.tenantId,
        target: { type: "policy", id },
        reason: data.note || null,
        data: {
          before: { name: before.name, text: before.text, enabled: before.enabled, version: before.version },
          after: { name: after.name, text: after.text, enabled: after.enabled, version: after.version },
        },
      });
      return after;
    });
  } catch (error) {
    // The version written meanwhile by someone else (the update's where names the version it
    // read), or a name taken at the same moment: nothing of this edit was written.
    if (isUniqueViolation(error) || (error as { code?: string }).code === "P2025") {
      throw new ConflictError(
        "This policy was changed by someone else at the same moment. Reload it and make your change again.",
      );
    }
    throw error;
  }
}

/** Rolls back by writing the old version's text and state as a new version. */
export async function rollbackPolicy(caller: Caller, id: string, input: unknown) {
  const { version, note } = parseInput(rollbackPolicySchema, input);
  const db = await prisma();
  // Access first, so that a policy one cannot read is a 404 whatever the version asked for.
  await policyFor(db, caller, id);
  const old = await db.policyVersion.findUnique({ where: { policyId_version: { policyId: id, version } } });
  if (!old) throw new ValidationError({ version: ["No such version of this policy."] });
  return updatePolicy(caller, id, {
    name: old.name,
    description: old.description,
    text: old.text,
    enabled: old.enabled,
    note: note || `Rolled back to version ${version}`,
  });
}

export function canWritePolicies(caller: Caller, tenantId: string | null): boolean {
  return tenantId === null
    ? canGlobally(caller.roles, "policies.write")
    : can(caller.roles, "policies.write", tenantId);
}
