import "server-only";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { createScopeSchema, type Risk, updateScopeSchema } from "@/lib/schemas/catalog";
import { isUuid, parseInput } from "@/lib/validation";
import { riskFromDb, riskToDb } from "../agents/mappers";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan, assertCanGlobally } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import { tenantForInput } from "../tenants/resolve-tenant";

export interface ScopeRow {
  id: string;
  name: string;
  description: string;
  risk: Risk;
  global: boolean;
  roleCount: number;
}

/** The scopes an agent in the tenant can be given: global ones and the tenant's own. */
export async function listScopes(caller: Caller, tenantId: string): Promise<ScopeRow[]> {
  assertCan(caller, "agents.read", tenantId);
  const db = await prisma();
  const rows = await db.scope.findMany({
    where: { OR: [{ tenantId: null }, { tenantId }] },
    include: { _count: { select: { roles: true } } },
    orderBy: [{ name: "asc" }],
  });
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    risk: riskFromDb(s.risk),
    global: s.tenantId === null,
    roleCount: s._count.roles,
  }));
}

/** Global catalog entries are the security admin's; a tenant's own, its owners' too. */
export function assertCatalogWrite(caller: Caller, tenantId: string | null) {
  if (tenantId === null) assertCanGlobally(caller, "catalog.write");
  else assertCan(caller, "catalog.write", tenantId);
}

export async function scopeFor(db: Db, caller: Caller, scopeId: string) {
  const scope = isUuid(scopeId) ? await db.scope.findUnique({ where: { id: scopeId } }) : null;
  if (!scope || (scope.tenantId && !can(caller.roles, "agents.read", scope.tenantId))) throw new NotFoundError("scope");
  return scope;
}

export async function createScope(caller: Caller, input: unknown) {
  const data = parseInput(createScopeSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const tenantId = data.tenant === null ? null : (await tenantForInput(tx, caller, data.tenant, "catalog.write")).id;
    assertCatalogWrite(caller, tenantId);
    // A global name must be free in every tenant too: effective scopes are keyed by name.
    const clash = await tx.scope.findFirst({
      where: tenantId ? { name: data.name, OR: [{ tenantId: null }, { tenantId }] } : { name: data.name },
    });
    if (clash) throw new ConflictError("A scope with that name already exists.", { name: ["Already in use."] });
    const scope = await tx.scope.create({
      data: { tenantId, name: data.name, description: data.description, risk: riskToDb(data.risk) },
    });
    await recordAudit(tx, {
      action: "scope.create",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "scope", id: scope.id },
      data: { after: { name: scope.name, description: scope.description, risk: data.risk, global: tenantId === null } },
    });
    return scope;
  });
}

export async function updateScope(caller: Caller, scopeId: string, input: unknown) {
  const data = parseInput(updateScopeSchema, input);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const scope = await scopeFor(tx, caller, scopeId);
    assertCatalogWrite(caller, scope.tenantId);
    const updated = await tx.scope.update({
      where: { id: scope.id },
      data: { description: data.description, risk: data.risk ? riskToDb(data.risk) : undefined },
    });
    await recordAudit(tx, {
      action: "scope.update",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: scope.tenantId,
      target: { type: "scope", id: scope.id },
      data: {
        before: { description: scope.description, risk: riskFromDb(scope.risk) },
        after: { description: updated.description, risk: riskFromDb(updated.risk) },
      },
    });
    return updated;
  });
}

/** Deleting a scope takes it out of every role that bundles it; that is said in the audit event. */
export async function deleteScope(caller: Caller, scopeId: string) {
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const scope = await scopeFor(tx, caller, scopeId);
    assertCatalogWrite(caller, scope.tenantId);
    const roles = await tx.roleScope.findMany({
      where: { scopeId: scope.id },
      include: { role: { select: { name: true } } },
    });
    await tx.scope.delete({ where: { id: scope.id } });
    await recordAudit(tx, {
      action: "scope.delete",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: scope.tenantId,
      target: { type: "scope", id: scope.id },
      data: { before: { name: scope.name, removed_from_roles: roles.map((r) => r.role.name) } },
    });
  });
}
