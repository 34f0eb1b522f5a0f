import "server-only";
import { type AgentStatus, REVIEW_DUE_WINDOW_DAYS, reviewState } from "@/lib/agent-lifecycle";
import { type AgentEnvironment, type AgentListQuery, agentListSchema } from "@/lib/schemas/agents";
import type { OffsetPage } from "@/lib/schemas/pagination";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { environmentFromDb, environmentToDb, statusFromDb, statusToDb } from "./mappers";

export interface AgentRow {
  id: string;
  name: string;
  status: AgentStatus;
  environment: AgentEnvironment;
  owner: { id: string; name: string; email: string; active: boolean };
  reviewDueAt: Date | null;
  review: ReturnType<typeof reviewState>;
  orphaned: boolean;
  createdAt: Date;
}

const ORDER: Record<AgentListQuery["sort"], (dir: "asc" | "desc") => Prisma.AgentOrderByWithRelationInput[]> = {
  name: (dir) => [{ name: dir }, { id: dir }],
  created_at: (dir) => [{ createdAt: dir }, { id: dir }],
  status: (dir) => [{ status: dir }, { createdAt: "desc" }, { id: "desc" }],
  environment: (dir) => [{ environment: dir }, { createdAt: "desc" }, { id: "desc" }],
  review_due_at: (dir) => [{ reviewDueAt: { sort: dir, nulls: "last" } }, { id: dir }],
};

/** A page of one tenant's agents with the console's filters; searchParams-shaped input. */
export async function listAgents(
  caller: Caller,
  tenantId: string,
  input: unknown,
): Promise<OffsetPage<AgentRow> & { query: AgentListQuery }> {
  assertCan(caller, "agents.read", tenantId);
  const query = agentListSchema.parse(input ?? {});
  const now = new Date();
  const where: Prisma.AgentWhereInput = { tenantId };
  if (query.status) where.status = statusToDb(query.status);
  if (query.environment) where.environment = environmentToDb(query.environment);
  if (query.owner) where.OR = [{ ownerId: query.owner }, { backupOwnerId: query.owner }];
  if (query.review === "due") {
    where.status = where.status ?? { not: "RETIRED" };
    where.reviewDueAt = { lte: new Date(now.getTime() + REVIEW_DUE_WINDOW_DAYS * 86_400_000) };
  }
  if (query.orphaned) {
    where.owner = { deactivatedAt: { not: null } };
    where.status = where.status ?? { not: "RETIRED" };
  }
  // Prisma hands `contains` to LIKE as is: escape its wildcards so that "_" and "%" match themselves.
  if (query.q) where.name = { contains: query.q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" };

  const db = await prisma();
  const [rows, total] = await Promise.all([
    db.agent.findMany({
      where,
      orderBy: ORDER[query.sort](query.dir),
      skip: (query.page - 1) * query.page_size,
      take: query.page_size,
      select: {
        id: true,
        name: true,
        status: true,
        environment: true,
        reviewDueAt: true,
        createdAt: true,
        owner: { select: { id: true, name: true, email: true, deactivatedAt: true } },
      },
    }),
    db.agent.count({ where }),
  ]);
  return {
    query,
    total,
    page: query.page,
    pageSize: query.page_size,
    sort: query.sort,
    dir: query.dir,
    rows: rows.map((a) => {
      const status = statusFromDb(a.status);
      return {
        id: a.id,
        name: a.name,
        status,
        environment: environmentFromDb(a.environment),
        owner: { id: a.owner.id, name: a.owner.name, email: a.owner.email, active: !a.owner.deactivatedAt },
        reviewDueAt: a.reviewDueAt,
        review: status === "retired" ? "none" : reviewState(a.reviewDueAt, now),
        orphaned: !!a.owner.deactivatedAt && status !== "retired",
        createdAt: a.createdAt,
      };
    }),
  };
}

/** People who own or back up an agent in the tenant: the owner filter's choices. */
export async function listAgentOwners(caller: Caller, tenantId: string) {
  assertCan(caller, "agents.read", tenantId);
  const db = await prisma();
  return db.user.findMany({
    where: { OR: [{ ownedAgents: { some: { tenantId } } }, { backedUpAgents: { some: { tenantId } } }] },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

/** The agents of the tenant another may name in its "may delegate to": all but the retired. */
export async function listDelegateChoices(caller: Caller, tenantId: string) {
  assertCan(caller, "agents.write", tenantId);
  const db = await prisma();
  return db.agent.findMany({
    where: { tenantId, status: { not: "RETIRED" } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
    take: 500,
  });
}

/** Active people who may be accountable for an agent in the tenant: its members and global roles. */
export async function listAccountablePeople(caller: Caller, tenantId: string) {
  assertCan(caller, "agents.write", tenantId);
  const db = await prisma();
  return db.user.findMany({
    where: { deactivatedAt: null, OR: [{ memberships: { some: { tenantId } } }, { globalRole: { not: null } }] },
    select: { id: true, name: true, email: true },
    orderBy: { name: "asc" },
    take: 500,
  });
}

/**
 * The agents the caller is accountable for in the tenant (owner or backup owner), whatever their
 * console role: a member who owns an agent sees its review coming and can renew it.
 */
/**
 * Whether the caller owns or backs up a live agent in the tenant: owners answer their agents'
 * approval requests whatever their role.
 */
export async function ownsAgentsIn(caller: Caller, tenantId: string): Promise<boolean> {
  if (caller.type !== "user") return false;
  assertCan(caller, "tenant.read", tenantId);
  const db = await prisma();
  const one = await db.agent.findFirst({
    where: {
      tenantId,
      kind: "AGENT",
      status: { not: "RETIRED" },
      OR: [{ ownerId: caller.id }, { backupOwnerId: caller.id }],
    },
    select: { id: true },
  });
  return !!one;
}

export async function listMyAgents(caller: Caller, tenantId: string) {
  assertCan(caller, "tenant.read", tenantId);
  const db = await prisma();
  const now = new Date();
  const rows = await db.agent.findMany({
    where: {
      tenantId,
      kind: "AGENT",
      status: { not: "RETIRED" },
      OR: [{ ownerId: caller.id }, { backupOwnerId: caller.id }],
    },
    select: { id: true, name: true, status: true, reviewDueAt: true, ownerId: true },
    orderBy: [{ reviewDueAt: { sort: "asc", nulls: "last" } }, { name: "asc" }],
    take: 100,
  });
  return rows.map((a) => ({
    id: a.id,
    name: a.name,
    status: statusFromDb(a.status),
    reviewDueAt: a.reviewDueAt,
    review: reviewState(a.reviewDueAt, now),
    backup: a.ownerId !== caller.id,
  }));
}
