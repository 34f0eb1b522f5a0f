import "server-only";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import type { OffsetPage } from "@/lib/schemas/pagination";
import { createTenantSchema, tenantListSchema, tenantSlugSchema, updateTenantSchema } from "@/lib/schemas/tenants";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan, assertCanGlobally, reach } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { applyTenantSettings } from "./update-settings";

// Tenants as security admins run them: listed with what is in each, created, renamed. Everyone
// else sees the tenants they belong to, read-only.

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  /** Agents not retired. */
  agents: number;
  members: number;
  /** Grants not revoked. */
  liveGrants: number;
  /** How many token exchanges deep a delegation chain may go. */
  maxDelegationDepth: number;
  /** Every agent must bind its access tokens to a key (DPoP, RFC 9449). */
  dpopRequired: boolean;
}

const SLUG_TAKEN = () =>
  new ConflictError("A tenant with that slug already exists.", { slug: ["Already in use: choose another."] });

/** Prisma's unique-constraint failure, raced past the check before it. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** A tenant named in a URL (slug or id) that the caller may read; anything else is NotFound. */
export async function tenantByRef(db: Db, caller: Caller, ref: string) {
  const value = ref.trim();
  const where = isUuid(value) ? { id: value } : tenantSlugSchema.safeParse(value).success ? { slug: value } : null;
  const tenant = where ? await db.tenant.findUnique({ where }) : null;
  if (!tenant || !can(caller.roles, "tenant.read", tenant.id)) throw new NotFoundError("tenant");
  return tenant;
}

async function withCounts(
  db: Db,
  tenants: {
    id: string;
    slug: string;
    name: string;
    createdAt: Date;
    maxDelegationDepth: number;
    dpopRequired: boolean;
  }[],
) {
  const ids = tenants.map((t) => t.id);
  if (!ids.length) return [];
  const [agents, members, grants] = await Promise.all([
    db.agent.groupBy({
      by: ["tenantId"],
      where: { tenantId: { in: ids }, status: { not: "RETIRED" } },
      _count: { _all: true },
    }),
    db.membership.groupBy({ by: ["tenantId"], where: { tenantId: { in: ids } }, _count: { _all: true } }),
    db.grant.groupBy({ by: ["tenantId"], where: { tenantId: { in: ids }, revokedAt: null }, _count: { _all: true } }),
  ]);
  const count = (rows: { tenantId: string; _count: { _all: number } }[], id: string) =>
    rows.find((r) => r.tenantId === id)?._count._all ?? 0;
  return tenants.map((t) => ({
    id: t.id,
    slug: t.slug,
    name: t.name,
    createdAt: t.createdAt,
    agents: count(agents, t.id),
    members: count(members, t.id),
    liveGrants: count(grants, t.id),
    maxDelegationDepth: t.maxDelegationDepth,
    dpopRequired: t.dpopRequired,
  }));
}

/** The tenants the caller can read, by name, with their agents, members and live grants counted. */
export async function listTenants(caller: Caller, input: unknown): Promise<OffsetPage<TenantRow>> {
  const query = parseInput(tenantListSchema, input ?? {});
  const db = await prisma();
  const tenants = reach(caller, "tenant.read");
  const where: Prisma.TenantWhereInput = {
    ...(tenants === "all" ? {} : { id: { in: tenants } }),
    ...(query.q
      ? {
          OR: [
            { name: { contains: query.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } },
            { slug: { contains: query.q.replace(/[\\%_]/g, "\\$&").toLowerCase() } },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.tenant.findMany({
      where,
      orderBy: [{ name: "asc" }, { id: "asc" }],
      skip: (query.page - 1) * query.page_size,
      take: query.page_size,
      select: { id: true, slug: true, name: true, createdAt: true, maxDelegationDepth: true, dpopRequired: true },
    }),
    db.tenant.count({ where }),
  ]);
  return {
    rows: await withCounts(db, rows),
    total,
    page: query.page,
    pageSize: query.page_size,
    sort: "name",
    dir: "asc",
  };
}

export async function getTenant(caller: Caller, ref: string): Promise<TenantRow> {
  const db = await prisma();
  const tenant = await tenantByRef(db, caller, ref);
  return (await withCounts(db, [tenant]))[0];
}

/** Creates a tenant (security admins). The slug is its URL: validated and unique. */
export async function createTenantAs(caller: Caller, input: unknown): Promise<TenantRow> {
  const data = parseInput(createTenantSchema, input);
  assertCanGlobally(caller, "tenants.manage");
  const db = await prisma();
  try {
    const tenant = await db.$transaction(async (tx) => {
      if (await tx.tenant.findUnique({ where: { slug: data.slug }, select: { id: true } })) throw SLUG_TAKEN();
      const tenant = await tx.tenant.create({ data });
      await recordAudit(tx, {
        action: "tenant.create",
        outcome: "success",
        actor: actorOf(caller),
        tenantId: tenant.id,
        target: { type: "tenant", id: tenant.id },
        data: { after: data },
      });
      return tenant;
    });
    return { ...tenant, agents: 0, members: 0, liveGrants: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) throw SLUG_TAKEN();
    throw error;
  }
}

/**
 * Renames a tenant, or gives it a new slug (its console URLs change with it): security admins.
 * Changes its delegation depth or DPoP requirement: those who may change its settings (its owners, security admins).
 * Each part is checked for the caller and audited as the console audits it, in one transaction.
 */
export async function updateTenant(caller: Caller, ref: string, input: unknown): Promise<TenantRow> {
  const { max_delegation_depth, dpop_required, ...rename } = parseInput(updateTenantSchema, input);
  const settings = { max_delegation_depth, dpop_required };
  const changesSettings = max_delegation_depth !== undefined || dpop_required !== undefined;
  const db = await prisma();
  const tenant = await tenantByRef(db, caller, ref);
  const renaming = rename.name !== undefined || rename.slug !== undefined;
  if (renaming) assertCanGlobally(caller, "tenants.manage");
  if (changesSettings) assertCan(caller, "settings.write", tenant.id);
  try {
    await db.$transaction(async (tx) => {
      if (renaming) await renameIn(tx, caller, tenant, rename);
      if (changesSettings) await applyTenantSettings(tx, caller, tenant.id, settings);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw SLUG_TAKEN();
    throw error;
  }
  return getTenant(caller, tenant.id);
}

async function renameIn(
  tx: Db,
  caller: Caller,
  tenant: { id: string; name: string; slug: string },
  data: { name?: string; slug?: string },
) {
  if (data.slug && data.slug !== tenant.slug) {
    if (await tx.tenant.findUnique({ where: { slug: data.slug }, select: { id: true } })) throw SLUG_TAKEN();
  }
  const after = await tx.tenant.update({ where: { id: tenant.id }, data });
  await recordAudit(tx, {
    action: "tenant.update",
    outcome: "success",
    actor: actorOf(caller),
    tenantId: tenant.id,
    target: { type: "tenant", id: tenant.id },
    data: { before: { name: tenant.name, slug: tenant.slug }, after: { name: after.name, slug: after.slug } },
  });
}
