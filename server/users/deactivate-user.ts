import "server-only";
import { env } from "@/lib/env";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { deactivateUserSchema } from "@/lib/schemas/users";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCanGlobally } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { endUserSessions, liveSessionWhere } from "../auth/sessions";
import { type Db, prisma } from "../db";
import { impactOf, type RevocationScope, revokeWhere } from "../grants/revoke";
import { transferAgents } from "./transfer-agents";

// Offboarding a leaver, in one transaction: they can no longer sign in, their console sessions end,
// every grant they gave is revoked with its tokens (an agent acting for them is denied on its very
// next request), and the agents they own are flagged orphaned, or handed to a new owner in the
// same step. Security admins only: an account is installation-wide.

/** What deactivating a person would do, counted now, for the confirmation to state first. */
export interface OffboardingImpact {
  grants: number;
  tokens: number;
  sessions: number;
  /** Agents they own that are not retired: they lose their owner unless handed over. */
  agents: { id: string; name: string; tenant: { id: string; slug: string; name: string } }[];
  /** Tenants where they are the last active owner. */
  tenantsLeftWithoutOwner: { id: string; slug: string; name: string }[];
}

function personReach(userId: string): RevocationScope {
  return { grants: { userId }, tokens: { subjectId: userId } };
}

async function leaver(db: Db, caller: Caller, userId: string) {
  assertCanGlobally(caller, "users.manage");
  const user = isUuid(userId) ? await db.user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw new NotFoundError("user");
  return user;
}

async function ownedAgents(db: Db, userId: string) {
  return db.agent.findMany({
    where: { ownerId: userId, status: { not: "RETIRED" } },
    select: { id: true, name: true, tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { name: "asc" },
  });
}

export async function offboardingImpact(caller: Caller, userId: string): Promise<OffboardingImpact> {
  const db = await prisma();
  const user = await leaver(db, caller, userId);
  const [revocation, sessions, agents, owned] = await Promise.all([
    impactOf(db, personReach(user.id)),
    db.consoleSession.count({ where: { userId: user.id, ...liveSessionWhere(env().SESSION_MAX_AGE_MINUTES) } }),
    ownedAgents(db, user.id),
    db.membership.findMany({
      where: { userId: user.id, role: "OWNER" },
      select: { tenant: { select: { id: true, slug: true, name: true } } },
    }),
  ]);
  const tenantsLeftWithoutOwner = [];
  for (const { tenant } of owned) {
    const others = await db.membership.count({
      where: { tenantId: tenant.id, role: "OWNER", userId: { not: user.id }, user: { deactivatedAt: null } },
    });
    if (others === 0) tenantsLeftWithoutOwner.push(tenant);
  }
  return { grants: revocation.grants, tokens: revocation.tokens, sessions, agents, tenantsLeftWithoutOwner };
}

/** "Revokes 4 grants and 9 live tokens; 2 agents lose their owner." */
export function describeOffboarding(impact: OffboardingImpact, handedTo?: string): string {
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  const parts = [`Revokes ${n(impact.grants, "grant")} and ${n(impact.tokens, "live token")}`];
  if (impact.sessions) parts[0] += `, ends ${n(impact.sessions, "console session")}`;
  if (impact.agents.length) {
    parts.push(
      handedTo
        ? `${n(impact.agents.length, "agent")} go to ${handedTo}`
        : `${n(impact.agents.length, "agent")} ${impact.agents.length === 1 ? "loses its" : "lose their"} owner`,
    );
  }
  if (impact.tenantsLeftWithoutOwner.length) {
    parts.push(`${impact.tenantsLeftWithoutOwner.map((t) => t.name).join(", ")} will have no active owner`);
  }
  return `${parts.join("; ")}.`;
}

export async function deactivateUser(caller: Caller, userId: string, input: unknown) {
  const { reason, transfer_agents_to } = parseInput(deactivateUserSchema, input ?? {});
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const user = await leaver(tx, caller, userId);
    if (user.deactivatedAt) throw new ConflictError("This person is already deactivated.");
    if (caller.type === "user" && user.id === caller.id) throw new ConflictError("You cannot deactivate yourself.");
    const agents = await ownedAgents(tx, user.id);
    const transferred = transfer_agents_to
      ? await transferAgents(tx, caller, {
          from: user,
          to: transfer_agents_to,
          agentIds: agents.map((a) => a.id),
          reason,
        })
      : null;
    const revoked = await revokeWhere(tx, personReach(user.id), `Offboarding: ${reason}`);
    const sessions = await endUserSessions(tx, user.id, "deactivated");
    const updated = await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    for (const event of transferred?.events ?? []) await recordAudit(tx, event);
    await recordAudit(tx, {
      action: "user.deactivate",
      outcome: "success",
      actor: actorOf(caller),
      target: { type: "user", id: user.id },
      reason,
      data: {
        before: { status: "active" },
        after: { status: "deactivated" },
        grants: revoked.grants,
        tokens: revoked.tokens,
        sessions,
        orphaned_agents: transferred ? [] : agents.map((a) => a.id),
        ...(transferred ? { agents_handed_to: transferred.to.id, handed_agents: agents.map((a) => a.id) } : {}),
      },
    });
    return { user: updated, grants: revoked.grants, tokens: revoked.tokens, sessions, agents: agents.length };
  });
}

/**
 * Lets a person sign in again. What deactivation revoked stays revoked (grants are given anew) and
 * agents handed over stay with their new owner; agents still theirs stop being orphaned.
 */
export async function reactivateUser(caller: Caller, userId: string, input: unknown) {
  const { reason } = parseInput(reasonBodySchema, input ?? {});
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const user = await leaver(tx, caller, userId);
    if (!user.deactivatedAt) throw new ConflictError("This person is not deactivated.");
    const updated = await tx.user.update({ where: { id: user.id }, data: { deactivatedAt: null } });
    await recordAudit(tx, {
      action: "user.reactivate",
      outcome: "success",
      actor: actorOf(caller),
      target: { type: "user", id: user.id },
      reason,
      data: { before: { status: "deactivated" }, after: { status: "active" } },
    });
    return updated;
  });
}
