import "server-only";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { createRoleSchema, updateRoleSchema } from "@/lib/schemas/catalog";
import { isUuid, parseInput } from "@/lib/validation";
import { agentFor, assertNotRetired } from "../agents/agent-access";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import { tenantForInput } from "../tenants/resolve-tenant";
import { assertCatalogWrite } from "./scopes";

export interface RoleRow {
  id: string;
  name: string;
  description: string;
  global: boolean;
  scopes: { id: string; name: string }[];
  agentCount: number;
}

/** Roles usable in the tenant (global and its own), with scopes and how many agents hold each here. */
export async function listRoles(caller: Caller, tenantId: string): Promise<RoleRow[]> {
  assertCan(caller, "agents.read", tenantId);
  const db = await prisma();
  const rows = await db.role.findMany({
    where: { OR: [{ tenantId: null }, { tenantId }] },
    include: {
      scopes: { include: { scope: { select: { id: true, name: true } } } },
      _count: { select: { assignments: { where: { tenantId } } } },
    },
    orderBy: { name: "asc" },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    global: r.tenantId === null,
    scopes: r.scopes.map((s) => s.scope).sort((a, b) => a.name.localeCompare(b.name)),
    agentCount: r._count.assignments,
  }));
}

async function roleFor(db: Db, caller: Caller, roleId: string) {
  const role = isUuid(roleId) ? await db.role.findUnique({ where: { id: roleId } }) : null;
  if (!role || (role.tenantId && !can(caller.roles, "agents.read", role.tenantId))) throw new NotFoundError("role");
  return role;
}

/** Scope ids a role in this tenant may bundle: global scopes and the tenant's own. */
async function checkedScopes(db: Db, ids: string[], tenantId: string | null) {
  const unique = [...new Set(ids)];
  const found = await db.scope.findMany({
    where: { id: { in: unique }, OR: [{ tenantId: null }, ...(tenantId ? [{ tenantId }] : [])] },
    select: { id: true, name: true },
  });
  if (found.length !== unique.length)
    throw new ValidationError({ scopes: ["Some of those scopes do not exist here."] });
  return found;
}

export async function createRole(caller: Caller, input: unknown) {
  const data = parseInput(createRoleSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const tenantId = data.tenant === null ? null : (await tenantForInput(tx, caller, data.tenant, "catalog.write")).id;
    assertCatalogWrite(caller, tenantId);
    if (
      await tx.role.findFirst({
        where: tenantId ? { name: data.name, OR: [{ tenantId: null }, { tenantId }] } : { name: data.name },
      })
    ) {
      throw new ConflictError("A role with that name already exists.", { name: ["Already in use."] });
    }
    const scopes = await checkedScopes(tx, data.scopes, tenantId);
    const role = await tx.role.create({
      data: {
        tenantId,
        name: data.name,
        description: data.description,
        scopes: { create: scopes.map((s) => ({ scopeId: s.id })) },
      },
    });
    await recordAudit(tx, {
      action: "role.create",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "role", id: role.id },
      data: { after: { name: role.name, scopes: scopes.map((s) => s.name).sort(), global: tenantId === null } },
    });
    return role;
  });
}

export async function updateRole(caller: Caller, roleId: string, input: unknown) {
  const data = parseInput(updateRoleSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const role = await roleFor(tx, caller, roleId);
    assertCatalogWrite(caller, role.tenantId);
    const beforeScopes = await tx.roleScope.findMany({ where: { roleId: role.id }, include: { scope: true } });
    if (data.name && data.name !== role.name) {
      const clash = await tx.role.findFirst({
        where: {
          name: data.name,
          id: { not: role.id },
          OR: [{ tenantId: null }, ...(role.tenantId ? [{ tenantId: role.tenantId }] : [])],
        },
      });
      if (clash) throw new ConflictError("A role with that name already exists.", { name: ["Already in use."] });
    }
    let afterScopes = beforeScopes.map((s) => s.scope.name);
    if (data.scopes) {
      const scopes = await checkedScopes(tx, data.scopes, role.tenantId);
      await tx.roleScope.deleteMany({ where: { roleId: role.id } });
      await tx.roleScope.createMany({ data: scopes.map((s) => ({ roleId: role.id, scopeId: s.id })) });
      afterScopes = scopes.map((s) => s.name);
    }
    const updated = await tx.role.update({
      where: { id: role.id },
      data: { name: data.name, description: data.description },
    });
    await recordAudit(tx, {
      action: "role.update",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: role.tenantId,
      target: { type: "role", id: role.id },
      data: {
        before: {
          name: role.name,
          description: role.description,
          scopes: beforeScopes.map((s) => s.scope.name).sort(),
        },
        after: { name: updated.name, description: updated.description, scopes: afterScopes.sort() },
      },
    });
    return updated;
  });
}

export async function deleteRole(caller: Caller, roleId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const role = await roleFor(tx, caller, roleId);
    assertCatalogWrite(caller, role.tenantId);
    const holders = await tx.roleAssignment.count({ where: { roleId: role.id } });
    if (holders > 0) {
      throw new ConflictError(
        `${holders} agent${holders === 1 ? " holds" : "s hold"} this role. Remove it from them first.`,
      );
    }
    await tx.role.delete({ where: { id: role.id } });
    await recordAudit(tx, {
      action: "role.delete",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: role.tenantId,
      target: { type: "role", id: role.id },
      data: { before: { name: role.name } },
    });
  });
}

/** Gives an agent a role usable in its tenant. */
export async function assignRole(caller: Caller, agentId: string, roleId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "agents.write");
    assertNotRetired(agent);
    const role = await roleFor(tx, caller, roleId);
    if (role.tenantId && role.tenantId !== agent.tenantId) throw new NotFoundError("role");
    if (await tx.roleAssignment.findUnique({ where: { agentId_roleId: { agentId: agent.id, roleId: role.id } } })) {
      throw new ConflictError("The agent already holds this role.");
    }
    const assignment = await tx.roleAssignment.create({
      data: { agentId: agent.id, roleId: role.id, tenantId: agent.tenantId },
    });
    await recordAudit(tx, {
      action: "agent.role.assign",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      data: { after: { role: role.name, role_id: role.id } },
    });
    return assignment;
  });
}

export async function removeRole(caller: Caller, agentId: string, roleId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await agentFor(tx, caller, agentId, "agents.write");
    const assignment = isUuid(roleId)
      ? await tx.roleAssignment.findUnique({
          where: { agentId_roleId: { agentId: agent.id, roleId } },
          include: { role: true },
        })
      : null;
    if (!assignment) throw new NotFoundError("role assignment");
    await tx.roleAssignment.delete({ where: { id: assignment.id } });
    await recordAudit(tx, {
      action: "agent.role.remove",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      data: { before: { role: assignment.role.name, role_id: roleId } },
    });
  });
}

/** The scopes an agent may be granted: the union of its roles' scopes. */
export async function allowedScopes(db: Db, agentId: string): Promise<string[]> {
  const rows = await db.scope.findMany({
    where: { roles: { some: { role: { assignments: { some: { agentId } } } } } },
    select: { name: true },
    orderBy: { name: "asc" },
  });
  return rows.map((r) => r.name);
}
