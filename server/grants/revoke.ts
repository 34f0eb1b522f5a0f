import "server-only";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { bulkRevokeSchema, type RevocationImpact, revocationTargetSchema } from "@/lib/schemas/grants";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { isUuid, parseInput } from "@/lib/validation";
import { agentFor, isAgentOwner } from "../agents/agent-access";
import { applyTransition } from "../agents/transition-agent";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { inReach, reach } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Grant, Prisma } from "../db/generated/client";
import { liveBelow, revokeBelowTokens } from "../oauth/chain";

// Revocation, with effect on the very next request: every path here marks rows revoked in one
// transaction with its audit event, and every reader (the authorization server's adapter, the
// admin API, decisions) checks those rows on each request. Nothing caches a grant or a token.

export interface RevocationResult {
  grants: number;
  tokens: number;
}

/** What one revocation reaches: grants, and tokens beyond those grants' own. */
export interface RevocationScope {
  grants: Prisma.GrantWhereInput;
  tokens: Prisma.TokenWhereInput;
}

const NO_TOKENS: Prisma.TokenWhereInput = { id: { in: [] } };

function liveTokens(reach: RevocationScope, grantIds: string[], now: Date): Prisma.TokenWhereInput {
  return { revokedAt: null, expiresAt: { gt: now }, OR: [{ grantId: { in: grantIds } }, reach.tokens] };
}

/** Marks grants and every token of them (and the other tokens reached) revoked. */
export async function revokeWhere(tx: Db, reach: RevocationScope, reason: string): Promise<RevocationResult> {
  const now = new Date();
  const ids = (await tx.grant.findMany({ where: { ...reach.grants, revokedAt: null }, select: { id: true } })).map(
    (g) => g.id,
  );
  const g = ids.length
    ? await tx.grant.updateMany({ where: { id: { in: ids } }, data: { revokedAt: now, revokedReason: reason } })
    : { count: 0 };
  const live = liveTokens(reach, ids, now);
  // Codes not yet exchanged die too, but people count access and refresh tokens.
  await tx.token.updateMany({
    where: { ...live, kind: "AUTHORIZATION_CODE" },
    data: { revokedAt: now, revokedReason: reason },
  });
  const t = await tx.token.updateManyAndReturn({
    where: { ...live, kind: { not: "AUTHORIZATION_CODE" } },
    data: { revokedAt: now, revokedReason: reason },
    select: { id: true },
  });
  // Then everything exchanged from those tokens, transitively (token exchange, chain.ts).
  const below = await revokeBelowTokens(
    tx,
    t.map((r) => r.id),
    reason,
    now,
  );
  return { grants: g.count, tokens: t.length + below };
}

/** What revokeWhere would revoke, and for how many people, without changing anything. */
export async function impactOf(db: Db, reach: RevocationScope): Promise<RevocationImpact> {
  const now = new Date();
  const grants = await db.grant.findMany({
    where: { ...reach.grants, revokedAt: null },
    select: { id: true, userId: true },
  });
  const tokens = await db.token.findMany({
    where: {
      ...liveTokens(
        reach,
        grants.map((g) => g.id),
        now,
      ),
      kind: { not: "AUTHORIZATION_CODE" },
    },
    select: { id: true, subjectId: true },
  });
  // The tokens exchanged from those (chain.ts) go too, and count in the impact.
  const reached = new Set(tokens.map((t) => t.id));
  const below = (
    await liveBelow(
      db,
      tokens.map((t) => t.id),
      null,
      now,
    )
  ).filter((t) => !reached.has(t.id));
  const subjects = [...tokens.map((t) => t.subjectId), ...below.map((t) => t.subject_id)];
  const users = new Set([...grants.map((g) => g.userId), ...subjects.flatMap((s) => (s ? [s] : []))]);
  return { grants: grants.length, tokens: tokens.length + below.length, users: users.size };
}

/**
 * Grants the caller may revoke, every one of them, or the whole request is refused: a grant the
 * caller cannot see is a 404, one they see but may not revoke a 403.
 */
async function revocableGrants(db: Db, caller: Caller, grantIds: string[]): Promise<Grant[]> {
  const ids = [...new Set(grantIds)];
  const found = await db.grant.findMany({ where: { id: { in: ids } } });
  for (const id of ids) {
    const grant = found.find((g) => g.id === id);
    const own = !!grant && caller.type === "user" && grant.userId === caller.id;
    if (!grant || !(own || can(caller.roles, "grants.read", grant.tenantId))) throw new NotFoundError("grant");
    const allowed = own
      ? can(caller.roles, "grants.revoke_own", grant.tenantId) || can(caller.roles, "grants.revoke", grant.tenantId)
      : can(caller.roles, "grants.revoke", grant.tenantId);
    if (!allowed) throw new ForbiddenError();
  }
  return found;
}

/** The tenants where the caller revokes a person's grants (all of them for a global role). */
function offboardingReach(caller: Caller, userId: string): { reach: RevocationScope; tenants: string[] | null } {
  if (!isUuid(userId)) throw new NotFoundError("user");
  const where = reach(caller, "grants.revoke");
  if (where !== "all" && !where.length) throw new ForbiddenError();
  const tenants = where === "all" ? null : where;
  const scope = inReach(where);
  return { reach: { grants: { userId, ...scope }, tokens: { subjectId: userId, ...scope } }, tenants };
}

/** An agent whose everything the caller may revoke: security admins and its owners. */
async function killableAgent(db: Db, caller: Caller, agentId: string) {
  if (!isUuid(agentId)) throw new NotFoundError("agent");
  const agent = await db.agent.findUnique({ where: { id: agentId } });
  if (!agent || !(can(caller.roles, "agents.read", agent.tenantId) || isAgentOwner(caller, agent))) {
    throw new NotFoundError("agent");
  }
  if (!can(caller.roles, "agents.kill", agent.tenantId) && !isAgentOwner(caller, agent)) {
    throw new ForbiddenError("Only a security admin or the agent's owner uses the kill switch.");
  }
  return agent;
}

/**
 * The impact a confirmation states before anything happens ("revokes 3 grants and 41 live tokens
 * for 3 users"), with the same permission checks as the revocation itself.
 */
export async function previewRevocation(caller: Caller, input: unknown): Promise<RevocationImpact> {
  const target = parseInput(revocationTargetSchema, input);
  const db = await prisma();
  switch (target.kind) {
    case "grants": {
      const grants = await revocableGrants(db, caller, target.grant_ids);
      return impactOf(db, { grants: { id: { in: grants.map((g) => g.id) } }, tokens: NO_TOKENS });
    }
    case "user":
      return impactOf(db, offboardingReach(caller, target.user).reach);
    case "consent": {
      const agent = await agentFor(db, caller, target.agent, "grants.revoke");
      const where = { agentId: agent.id, tenantId: agent.tenantId };
      return impactOf(db, { grants: where, tokens: where });
    }
    case "kill": {
      const agent = await killableAgent(db, caller, target.agent);
      const impact = await impactOf(db, { grants: { agentId: agent.id }, tokens: { agentId: agent.id } });
      return { ...impact, credentials: await db.credential.count({ where: liveCredentials(agent.id, new Date()) }) };
    }
  }
}

/** One grant: the person it is for, or whoever may revoke grants in its tenant. */
export async function revokeGrant(caller: Caller, grantId: string, input: unknown): Promise<RevocationResult> {
  const { reason } = parseInput(reasonBodySchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    if (!grantId || grantId.length > 100) throw new NotFoundError("grant");
    const [grant] = await revocableGrants(tx, caller, [grantId]);
    if (grant.revokedAt) throw new ConflictError("This grant is already revoked.");
    return revokeOne(tx, caller, grant, reason);
  });
}

async function revokeOne(tx: Db, caller: Caller, grant: Grant, reason: string): Promise<RevocationResult> {
  const result = await revokeWhere(tx, { grants: { id: grant.id }, tokens: NO_TOKENS }, reason);
  await auditRevocation(tx, caller, grant, reason, result);
  return result;
}

function auditRevocation(tx: Db, caller: Caller, grant: Grant, reason: string, result: RevocationResult) {
  return recordAudit(tx, {
    action: "grant.revoke",
    outcome: "success",
    actor: actorOf(caller),
    tenantId: grant.tenantId,
    target: { type: "grant", id: grant.id },
    reason,
    data: { user: grant.userId, agent: grant.agentId, ...result },
  });
}

/**
 * Several grants at once (a table selection): all of them may be revoked by the caller or none is;
 * grants already revoked are skipped. One audit event per grant, in the one transaction.
 */
export async function revokeGrants(caller: Caller, input: unknown): Promise<RevocationResult & { skipped: number }> {
  const { grant_ids, reason } = parseInput(bulkRevokeSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const grants = await revocableGrants(tx, caller, grant_ids);
    const total = { grants: 0, tokens: 0, skipped: 0 };
    // Every revocation first, then the audit events: an event holds the audit chain's head until
    // the commit, and no write may come after it (see adapter.ts's revokeGrant).
    const done: [Grant, RevocationResult][] = [];
    for (const grant of grants) {
      if (grant.revokedAt) {
        total.skipped++;
        continue;
      }
      const r = await revokeWhere(tx, { grants: { id: grant.id }, tokens: NO_TOKENS }, reason);
      done.push([grant, r]);
      total.grants += r.grants;
      total.tokens += r.tokens;
    }
    for (const [grant, r] of done) await auditRevocation(tx, caller, grant, reason, r);
    return total;
  });
}

/** Every grant a person gave, in the tenants where the caller revokes grants (offboarding). */
export async function revokeUserGrants(caller: Caller, userId: string, input: unknown): Promise<RevocationResult> {
  const { reason } = parseInput(reasonBodySchema, input);
  const { reach, tenants } = offboardingReach(caller, userId);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const result = await revokeWhere(tx, reach, reason);
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
  const { reason } = parseInput(reasonBodySchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "grants.revoke");
    if (agent.consentWithdrawnAt) throw new ConflictError("The tenant's consent is already withdrawn from this agent.");
    const actor = actorOf(caller);
    await tx.agent.update({
      where: { id: agent.id },
      data: { consentWithdrawnAt: new Date(), consentWithdrawnBy: actor.label, consentWithdrawnReason: reason },
    });
    const where = { agentId: agent.id, tenantId: agent.tenantId };
    const result = await revokeWhere(tx, { grants: where, tokens: where }, reason);
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
  const { reason } = parseInput(reasonBodySchema, input);
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

/** An agent's credentials that still work: what the kill switch revokes besides grants and tokens. */
function liveCredentials(agentId: string, now: Date): Prisma.CredentialWhereInput {
  return { agentId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/**
 * The kill switch: revokes every grant, token and credential the agent holds, everywhere, and
 * suspends it; its open anomalies are resolved as contained. To resume it, its owner issues a
 * new credential first. Security admins and the agent's owner (or backup owner).
 */
export async function killAgent(caller: Caller, agentId: string, input: unknown) {
  const { reason } = parseInput(reasonBodySchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await killableAgent(tx, caller, agentId);
    const now = new Date();
    const result = await revokeWhere(tx, { grants: { agentId: agent.id }, tokens: { agentId: agent.id } }, reason);
    const credentials = await tx.credential.updateMany({
      where: liveCredentials(agent.id, now),
      data: { revokedAt: now, revokedReason: `Kill switch: ${reason}` },
    });
    const actor = actorOf(caller);
    const anomalies = await tx.anomaly.updateMany({
      where: { agentId: agent.id, status: { in: ["OPEN", "ACKNOWLEDGED"] } },
      data: { status: "CONTAINED", resolvedAt: now, resolvedBy: actor.label, resolution: `Kill switch: ${reason}` },
    });
    if (agent.status === "ACTIVE") await applyTransition(tx, agent, "suspend", `Kill switch: ${reason}`, actor);
    const outcome = {
      ...result,
      credentials: credentials.count,
      anomaliesContained: anomalies.count,
      suspended: agent.status === "ACTIVE",
    };
    await recordAudit(tx, {
      action: "agent.kill",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason,
      data: {
        ...result,
        credentials: credentials.count,
        anomalies_contained: anomalies.count,
        suspended: outcome.suspended,
      },
    });
    return outcome;
  });
}
