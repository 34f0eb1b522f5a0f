import "server-only";
import { z } from "zod";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { can, canGlobally } from "@/lib/permissions";
import { reasonSchema } from "@/lib/schemas/agents";
import { isUuid, parseInput } from "@/lib/validation";
import { agentFor, isAgentOwner } from "../agents/agent-access";
import { applyTransition } from "../agents/transition-agent";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Prisma } from "../db/generated/client";

// Revocation, with effect on the very next request: every path here marks rows revoked in one
// transaction with its audit event, and every reader (the authorization server's adapter, the
// admin API, decisions) checks those rows on each request. Nothing caches a grant or a token.

const reasonInput = z.object({ reason: reasonSchema });

export interface RevocationResult {
  grants: number;
  tokens: number;
}

/** Marks grants and every token of them (and the other tokens matched) revoked. */
async function revokeWhere(
  tx: Db,
  grants: Prisma.GrantWhereInput,
  tokens: Prisma.TokenWhereInput,
  reason: string,
): Promise<RevocationResult> {
  const now = new Date();
  const ids = (await tx.grant.findMany({ where: { ...grants, revokedAt: null }, select: { id: true } })).map(
    (g) => g.id,
  );
  const g = ids.length
    ? await tx.grant.updateMany({ where: { id: { in: ids } }, data: { revokedAt: now, revokedReason: reason } })
    : { count: 0 };
  const live = { revokedAt: null, expiresAt: { gt: now }, OR: [{ grantId: { in: ids } }, tokens] };
  // Codes not yet exchanged die too, but people count access and refresh tokens.
  await tx.token.updateMany({
    where: { ...live, kind: "AUTHORIZATION_CODE" },
    data: { revokedAt: now, revokedReason: reason },
  });
  const t = await tx.token.updateMany({
    where: { ...live, kind: { not: "AUTHORIZATION_CODE" } },
    data: { revokedAt: now, revokedReason: reason },
  });
  return { grants: g.count, tokens: t.count };
}

/** One grant: the person it is for, or whoever may revoke grants in its tenant. */
export async function revokeGrant(caller: Caller, grantId: string, input: unknown): Promise<RevocationResult> {
  const { reason } = parseInput(reasonInput, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const grant = grantId && grantId.length <= 100 ? await tx.grant.findUnique({ where: { id: grantId } }) : null;
    const own = !!grant && caller.type === "user" && grant.userId === caller.id;
    if (!grant || !(own || can(caller.roles, "grants.read", grant.tenantId))) throw new NotFoundError("grant");
    const allowed = own
      ? can(caller.roles, "grants.revoke_own", grant.tenantId) || can(caller.roles, "grants.revoke", grant.tenantId)
      : can(caller.roles, "grants.revoke", grant.tenantId);
    if (!allowed) throw new ForbiddenError();
    if (grant.revokedAt) throw new ConflictError("This grant is already revoked.");
    const result = await revokeWhere(tx, { id: grant.id }, { id: { in: [] } }, reason);
    await recordAudit(tx, {
      action: "grant.revoke",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: grant.tenantId,
      target: { type: "grant", id: grant.id },
      reason,
      data: { user: grant.userId, agent: grant.agentId, ...result },
    });
    return result;
  });
}

/** Every grant a person gave, in the tenants where the caller revokes grants (offboarding). */
export async function revokeUserGrants(caller: Caller, userId: string, input: unknown): Promise<RevocationResult> {
  const { reason } = parseInput(reasonInput, input);
  if (!isUuid(userId)) throw new NotFoundError("user");
  const tenants = canGlobally(caller.roles, "grants.revoke")
    ? null
    : Object.keys(caller.roles.tenants).filter((t) => can(caller.roles, "grants.revoke", t));
  if (tenants && !tenants.length) throw new ForbiddenError();
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const scope = tenants ? { tenantId: { in: tenants } } : {};
    const result = await revokeWhere(tx, { userId, ...scope }, { subjectId: userId, ...scope }, reason);
    await recordAudit(tx, {
      action: "grant.revoke_user",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: tenants?.length === 1 ? tenants[0] : null,
      target: { type: "user", id: userId },
      reason,
      data: { ...result },
    });
    return result;
  });
}

/**
 * The tenant withdraws its consent from an agent: every grant and token the agent holds in the
 * tenant is revoked, and it gets neither consent nor tokens nor allowed decisions there until
 * the consent is restored. Tenant owners and security admins.
 */
export async function withdrawTenantConsent(caller: Caller, agentId: string, input: unknown) {
  const { reason } = parseInput(reasonInput, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "grants.revoke");
    if (agent.consentWithdrawnAt) throw new ConflictError("The tenant's consent is already withdrawn from this agent.");
    const actor = actorOf(caller);
    await tx.agent.update({
      where: { id: agent.id },
      data: { consentWithdrawnAt: new Date(), consentWithdrawnBy: actor.label, consentWithdrawnReason: reason },
    });
    const result = await revokeWhere(
      tx,
      { agentId: agent.id, tenantId: agent.tenantId },
      { agentId: agent.id, tenantId: agent.tenantId },
      reason,
    );
    await recordAudit(tx, {
      action: "consent.withdraw",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason,
      data: { ...result },
    });
    return result;
  });
}

export async function restoreTenantConsent(caller: Caller, agentId: string, input: unknown) {
  const { reason } = parseInput(reasonInput, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "grants.revoke");
    if (!agent.consentWithdrawnAt) throw new ConflictError("The tenant's consent is not withdrawn from this agent.");
    await tx.agent.update({
      where: { id: agent.id },
      data: { consentWithdrawnAt: null, consentWithdrawnBy: null, consentWithdrawnReason: null },
    });
    await recordAudit(tx, {
      action: "consent.restore",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason,
    });
    return { restored: true };
  });
}

/**
 * The kill switch: revokes every grant and token the agent holds, everywhere, and suspends it.
 * Security admins and the agent's owner (or backup owner).
 */
export async function killAgent(caller: Caller, agentId: string, input: unknown) {
  const { reason } = parseInput(reasonInput, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    if (!isUuid(agentId)) throw new NotFoundError("agent");
    const agent = await tx.agent.findUnique({ where: { id: agentId } });
    if (!agent || !(can(caller.roles, "agents.read", agent.tenantId) || isAgentOwner(caller, agent))) {
      throw new NotFoundError("agent");
    }
    if (caller.roles.global !== "security_admin" && !isAgentOwner(caller, agent)) {
      throw new ForbiddenError("Only a security admin or the agent's owner uses the kill switch.");
    }
    const result = await revokeWhere(tx, { agentId: agent.id }, { agentId: agent.id }, reason);
    const actor = actorOf(caller);
    if (agent.status === "ACTIVE") await applyTransition(tx, agent, "suspend", `Kill switch: ${reason}`, actor);
    await recordAudit(tx, {
      action: "agent.kill",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason,
      data: { ...result, suspended: agent.status === "ACTIVE" },
    });
    return { ...result, suspended: agent.status === "ACTIVE" };
  });
}
