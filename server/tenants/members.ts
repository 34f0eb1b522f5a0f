import "server-only";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { canGlobally } from "@/lib/permissions";
import { addMemberSchema, changeMemberRoleSchema, type MemberRole, removeMemberSchema } from "@/lib/schemas/users";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { TenantRole, User } from "../db/generated/client";
import { revokeWhere } from "../grants/revoke";
import { MEMBER_ROLE_FROM_DB, MEMBER_ROLE_TO_DB } from "../users/invitations";
import { transferAgents } from "../users/transfer-agents";

// A tenant's members: added with a role, their role changed, removed. Tenant owners manage their
// own tenant's members; people who hold a role across every tenant are managed by security
// admins only. A tenant keeps at least one active owner: the change that would take the last
// one away is refused, under a lock on the tenant's row so that two demotions at once cannot
// both pass.

export interface MemberChange {
  user: { id: string; email: string; name: string };
  role: MemberRole | null;
}

async function personByRef(db: Db, ref: string): Promise<User | null> {
  const value = ref.trim();
  return db.user.findUnique({ where: isUuid(value) ? { id: value } : { email: String(value).toLowerCase() } });
}

/** Someone a tenant owner may not manage: a person with a role across every tenant. */
function assertManageable(caller: Caller, user: User): void {
  if (user.globalRole && !canGlobally(caller.roles, "users.manage")) {
    throw new ForbiddenError("People with a role across every tenant are managed by security admins.");
  }
}

/** Orders concurrent member changes of one tenant (the row lock lasts until the commit). */
async function lockTenant(tx: Db, tenantId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
}

async function assertNotLastOwner(tx: Db, tenantId: string, user: User, role: TenantRole, tenantName: string) {
  if (role !== "OWNER" || user.deactivatedAt) return;
  const others = await tx.membership.count({
    where: { tenantId, role: "OWNER", userId: { not: user.id }, user: { deactivatedAt: null } },
  });
  if (others === 0) {
    throw new ConflictError(
      `${user.name} is the last owner of ${tenantName}. Make someone else an owner first: a tenant always keeps one.`,
    );
  }
}

async function tenantRow(tx: Db, tenantId: string) {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true } });
  if (!tenant) throw new NotFoundError("tenant");
  return tenant;
}

/** The member a change is about, read under the tenant's lock so that it cannot change meanwhile. */
async function membershipOf(tx: Db, caller: Caller, tenantId: string, userRef: string) {
  assertCan(caller, "members.manage", tenantId);
  await lockTenant(tx, tenantId);
  const user = userRef && userRef.length <= 254 ? await personByRef(tx, userRef) : null;
  const membership = user
    ? await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: user.id } } })
    : null;
  if (!user || !membership) throw new NotFoundError("member");
  assertManageable(caller, user);
  return { user, membership };
}

/** Adds an existing, active person to the tenant with a role. */
export async function addTenantMember(caller: Caller, tenantId: string, input: unknown): Promise<MemberChange> {
  const data = parseInput(addMemberSchema, input);
  assertCan(caller, "members.manage", tenantId);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const tenant = await tenantRow(tx, tenantId);
    const user = await personByRef(tx, data.user);
    if (!user || user.deactivatedAt) {
      throw new ValidationError({ user: ["No active person with that email or id: invite them instead."] });
    }
    assertManageable(caller, user);
    const existing = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId, userId: user.id } } });
    if (existing) {
      throw new ConflictError(`${user.name} is already a member of ${tenant.name}: change their role instead.`, {
        user: ["Already a member."],
      });
    }
    await tx.membership.create({ data: { tenantId, userId: user.id, role: MEMBER_ROLE_TO_DB[data.role] } });
    await recordAudit(tx, {
      action: "tenant.member.add",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "user", id: user.id },
      data: { before: null, after: { role: data.role } },
    });
    return { user: { id: user.id, email: user.email, name: user.name }, role: data.role };
  });
}

/** Changes a member's role; the tenant's last active owner cannot be demoted. */
export async function changeMemberRole(
  caller: Caller,
  tenantId: string,
  userRef: string,
  input: unknown,
): Promise<MemberChange> {
  const { role } = parseInput(changeMemberRoleSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const { user, membership } = await membershipOf(tx, caller, tenantId, userRef);
    const tenant = await tenantRow(tx, tenantId);
    const before = MEMBER_ROLE_FROM_DB[membership.role];
    if (before === role) return { user: { id: user.id, email: user.email, name: user.name }, role };
    await assertNotLastOwner(tx, tenantId, user, membership.role, tenant.name);
    await tx.membership.update({ where: { id: membership.id }, data: { role: MEMBER_ROLE_TO_DB[role] } });
    await recordAudit(tx, {
      action: "tenant.member.role_change",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "user", id: user.id },
      data: { before: { role: before }, after: { role } },
    });
    return { user: { id: user.id, email: user.email, name: user.name }, role };
  });
}

/**
 * Removes a member: their grants in the tenant are revoked with their tokens, they stop being a
 * backup owner there, and the agents they own there go to `transfer_agents_to` (required when
 * they own any). The tenant's last active owner cannot be removed.
 */
export async function removeTenantMember(caller: Caller, tenantId: string, userRef: string, input: unknown) {
  const { reason, transfer_agents_to } = parseInput(removeMemberSchema, input ?? {});
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const { user, membership } = await membershipOf(tx, caller, tenantId, userRef);
    const tenant = await tenantRow(tx, tenantId);
    await assertNotLastOwner(tx, tenantId, user, membership.role, tenant.name);
    const agents = user.globalRole
      ? []
      : await tx.agent.findMany({
          where: { tenantId, ownerId: user.id, status: { not: "RETIRED" } },
          select: { id: true },
        });
    if (agents.length && !transfer_agents_to) {
      const n = agents.length === 1 ? "an agent" : `${agents.length} agents`;
      throw new ConflictError(
        `${user.name} owns ${n} in ${tenant.name}: choose who takes ${agents.length === 1 ? "it" : "them"} over.`,
        {
          transfer_agents_to: ["Choose the agents' new owner."],
        },
      );
    }
    const transferred = agents.length
      ? await transferAgents(tx, caller, {
          from: user,
          to: transfer_agents_to as string,
          agentIds: agents.map((a) => a.id),
          reason,
        })
      : null;
    if (!user.globalRole) {
      await tx.agent.updateMany({ where: { tenantId, backupOwnerId: user.id }, data: { backupOwnerId: null } });
    }
    const where = { tenantId, userId: user.id };
    const revoked = await revokeWhere(tx, { grants: where, tokens: { tenantId, subjectId: user.id } }, reason);
    await tx.membership.delete({ where: { id: membership.id } });
    for (const event of transferred?.events ?? []) await recordAudit(tx, event);
    await recordAudit(tx, {
      action: "tenant.member.remove",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "user", id: user.id },
      reason,
      data: {
        before: { role: MEMBER_ROLE_FROM_DB[membership.role] },
        after: null,
        ...revoked,
        ...(transferred ? { agents_handed_to: transferred.to.id, handed_agents: agents.map((a) => a.id) } : {}),
      },
    });
    return { ...revoked, agents: agents.length };
  });
}
