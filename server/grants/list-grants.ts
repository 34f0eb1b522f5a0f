import "server-only";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import type { Risk } from "@/lib/schemas/catalog";
import { GRANT_COUNT_LIMIT, type GrantListQuery, grantListSchema } from "@/lib/schemas/grants";
import type { CursorPage } from "@/lib/schemas/pagination";
import { parseInput } from "@/lib/validation";
import { agentFor } from "../agents/agent-access";
import { inReach, reach } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { jsonCursor, keysetPage } from "../db/keyset";
import { tenantForInput } from "../tenants/resolve-tenant";

// Grants as the console and the admin API list them: per tenant, per person, per agent, newest
// first, paged by cursor so that the millionth row costs what the first does. Each row says which
// scopes it holds and their risk, when a token of it was last used, and how many of its tokens
// are live right now.

const RISK_ORDER: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

export interface GrantRow {
  id: string;
  tenant: { id: string; slug: string; name: string };
  user: { id: string; name: string; email: string; active: boolean };
  agent: { id: string; name: string; status: string; consentWithdrawn: boolean };
  scopes: { name: string; risk: Risk | null }[];
  /** The highest risk among its scopes. */
  risk: Risk | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  liveTokens: number;
  revokedAt: Date | null;
  revokedReason: string | null;
  status: "active" | "revoked";
}

export type GrantPage = CursorPage<GrantRow> & { query: GrantListQuery };

/** The grants' cursors: base64url JSON of created_at (`c`), id and step. */
const cursors = jsonCursor("date", "c");

/** The cursor of the page after (or before) a row, as the list hands it out. */
export function grantCursor(row: { createdAt: Date; id: string }, step: "next" | "prev" = "next"): string {
  return cursors.write({ key: row.createdAt, id: row.id, step });
}

/**
 * The grants the caller may see: every grant in the tenants where they read grants, and their own
 * where they read their own (members). Automation clients have no grants of their own.
 */
function visibleWhere(caller: Caller, mine: boolean): Prisma.GrantWhereInput {
  const own = caller.type === "user" ? caller.id : null;
  if (mine) {
    if (!own) return { id: { in: [] } };
    return { userId: own, ...inReach(reach(caller, "grants.read_own")) };
  }
  const all = reach(caller, "grants.read");
  if (all === "all") return {};
  const ownReach = reach(caller, "grants.read_own");
  // Their own grants where they read only their own.
  const ownOnly: Prisma.GrantWhereInput | null =
    ownReach === "all"
      ? { tenantId: { notIn: all } }
      : ownReach.some((t) => !all.includes(t))
        ? { tenantId: { in: ownReach.filter((t) => !all.includes(t)) } }
        : null;
  const or: Prisma.GrantWhereInput[] = [];
  if (all.length) or.push({ tenantId: { in: all } });
  if (own && ownOnly) or.push({ userId: own, ...ownOnly });
  return or.length === 1 ? or[0] : { OR: or.length ? or : [{ id: { in: [] } }] };
}

/** LIKE's wildcards match themselves in a search. */
function contains(q: string) {
  return { contains: q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const };
}

export async function listGrants(caller: Caller, input: unknown): Promise<GrantPage> {
  const query = parseInput(grantListSchema, input ?? {});
  const db = await prisma();
  const and: Prisma.GrantWhereInput[] = [visibleWhere(caller, query.mine)];
  let tenantId: string | undefined;
  if (query.tenant) {
    tenantId = (await tenantForInput(db, caller, query.tenant, "grants.read_own")).id;
    and.push({ tenantId });
  }
  if (query.user) and.push({ userId: query.user });
  if (query.agent) and.push({ agentId: query.agent });
  if (query.scope) and.push({ scopes: { has: query.scope } });
  if (query.status === "active") and.push({ revokedAt: null });
  if (query.status === "revoked") and.push({ revokedAt: { not: null } });
  if (query.risk) {
    // Scope names of that risk, in the tenant asked for (or any) and global: the GIN index on
    // grants.scopes answers "holds any of these".
    const names = await db.scope.findMany({
      where: {
        risk: query.risk.toUpperCase() as "LOW" | "MEDIUM" | "HIGH",
        ...(tenantId ? { OR: [{ tenantId }, { tenantId: null }] } : {}),
      },
      select: { name: true },
      distinct: ["name"],
    });
    and.push({ scopes: { hasSome: names.map((s) => s.name) } });
  }
  if (query.q) {
    // People and agents first (small tables), then grants by their indexed ids.
    const [users, agents] = await Promise.all([
      db.user.findMany({
        where: { OR: [{ name: contains(query.q) }, { email: contains(query.q) }] },
        select: { id: true },
        take: 500,
      }),
      db.agent.findMany({
        where: { name: contains(query.q), ...(tenantId ? { tenantId } : {}) },
        select: { id: true },
        take: 500,
      }),
    ]);
    and.push({ OR: [{ userId: { in: users.map((u) => u.id) } }, { agentId: { in: agents.map((a) => a.id) } }] });
  }
  const where: Prisma.GrantWhereInput = { AND: and };

  const page = await keysetPage({
    key: "createdAt",
    keyOf: (g: GrantWithPeople) => g.createdAt,
    idOf: (g) => g.id,
    cursors,
    sort: "created_at",
    dir: query.dir,
    pageSize: query.page_size,
    cursor: query.cursor,
    where,
    find: (where, order, take) =>
      db.grant.findMany({
        where,
        orderBy: [{ createdAt: order }, { id: order }],
        take,
        include: {
          user: { select: { id: true, name: true, email: true, deactivatedAt: true } },
          agent: { select: { id: true, name: true, status: true, consentWithdrawnAt: true } },
        },
      }),
    // Ordered like the page: Prisma orders a limited count's subquery (by id unless told), and
    // this order is the one the indexes already hold, so the scan stops at the limit.
    count: (where, take) => db.grant.count({ where, take, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
    countLimit: GRANT_COUNT_LIMIT,
  });
  return { ...page, rows: await decorate(db, page.rows), query };
}

type GrantWithPeople = Prisma.GrantGetPayload<{
  include: {
    user: { select: { id: true; name: true; email: true; deactivatedAt: true } };
    agent: { select: { id: true; name: true; status: true; consentWithdrawnAt: true } };
  };
}>;

/** Scope risks, live token counts and tenants for a page of grants: three statements per page. */
async function decorate(db: Db, grants: GrantWithPeople[]): Promise<GrantRow[]> {
  if (!grants.length) return [];
  const now = new Date();
  const tenantIds = [...new Set(grants.map((g) => g.tenantId))];
  const names = [...new Set(grants.flatMap((g) => g.scopes))];
  const [tenants, scopes, live] = await Promise.all([
    db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, slug: true, name: true } }),
    db.scope.findMany({
      where: { name: { in: names }, OR: [{ tenantId: { in: tenantIds } }, { tenantId: null }] },
      select: { name: true, tenantId: true, risk: true },
    }),
    db.token.groupBy({
      by: ["grantId"],
      where: {
        grantId: { in: grants.map((g) => g.id) },
        kind: { in: ["ACCESS_TOKEN", "REFRESH_TOKEN"] },
        revokedAt: null,
        expiresAt: { gt: now },
      },
      _count: { _all: true },
    }),
  ]);
  const tenantOf = new Map(tenants.map((t) => [t.id, t]));
  const liveOf = new Map(live.map((l) => [l.grantId, l._count._all]));
  const riskOf = (tenantId: string, name: string): Risk | null => {
    // A tenant's own scope of that name wins over a global one.
    const s = scopes.find((x) => x.name === name && x.tenantId === tenantId) ?? scopes.find((x) => x.name === name);
    return s ? (s.risk.toLowerCase() as Risk) : null;
  };
  return grants.map((g) => {
    const held = g.scopes.map((name) => ({ name, risk: riskOf(g.tenantId, name) }));
    const risk = held.reduce<Risk | null>(
      (max, s) => (s.risk && (!max || RISK_ORDER[s.risk] > RISK_ORDER[max]) ? s.risk : max),
      null,
    );
    const revoked = !!g.revokedAt;
    return {
      id: g.id,
      tenant: tenantOf.get(g.tenantId) ?? { id: g.tenantId, slug: g.tenantId, name: g.tenantId },
      user: { id: g.user.id, name: g.user.name, email: g.user.email, active: !g.user.deactivatedAt },
      agent: {
        id: g.agent.id,
        name: g.agent.name,
        status: g.agent.status.toLowerCase(),
        consentWithdrawn: !!g.agent.consentWithdrawnAt,
      },
      scopes: held,
      risk,
      createdAt: g.createdAt,
      lastUsedAt: g.lastUsedAt,
      // A revoked grant's tokens are dead whatever their rows say.
      liveTokens: revoked ? 0 : (liveOf.get(g.id) ?? 0),
      revokedAt: g.revokedAt,
      revokedReason: g.revokedReason,
      status: revoked ? "revoked" : "active",
    };
  });
}

/** One grant, to the person it is for or whoever reads grants in its tenant. */
export async function getGrant(caller: Caller, grantId: string): Promise<GrantRow> {
  const db = await prisma();
  const grant =
    grantId && grantId.length <= 100
      ? await db.grant.findUnique({
          where: { id: grantId },
          include: {
            user: { select: { id: true, name: true, email: true, deactivatedAt: true } },
            agent: { select: { id: true, name: true, status: true, consentWithdrawnAt: true } },
          },
        })
      : null;
  const own = !!grant && caller.type === "user" && grant.userId === caller.id;
  if (
    !grant ||
    !(can(caller.roles, "grants.read", grant.tenantId) || (own && can(caller.roles, "grants.read_own", grant.tenantId)))
  ) {
    throw new NotFoundError("grant");
  }
  return (await decorate(db, [grant]))[0];
}

/**
 * The grants page's filter choices in a tenant: people, agents and scopes (at most 500 each).
 * Members, who see only their own grants, choose among the agents they connected.
 */
export async function grantFilterChoices(caller: Caller, tenantId: string) {
  if (!can(caller.roles, "grants.read_own", tenantId)) throw new NotFoundError("tenant");
  const db = await prisma();
  const scopes = db.scope.findMany({
    where: { OR: [{ tenantId }, { tenantId: null }] },
    select: { name: true },
    distinct: ["name"],
    orderBy: { name: "asc" },
    take: 500,
  });
  if (!can(caller.roles, "grants.read", tenantId)) {
    const own = caller.type === "user" ? caller.id : "";
    const agents = await db.agent.findMany({
      where: { tenantId, grants: { some: { userId: own, tenantId } } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: 500,
    });
    return { users: [], agents, scopes: (await scopes).map((s) => s.name) };
  }
  const [users, agents] = await Promise.all([
    db.user.findMany({
      where: { memberships: { some: { tenantId } } },
      select: { id: true, name: true, email: true },
      orderBy: { name: "asc" },
      take: 500,
    }),
    db.agent.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 }),
  ]);
  return { users, agents, scopes: (await scopes).map((s) => s.name) };
}

/** An agent's live grants, their live tokens and the people behind them: the agent page's summary. */
export async function agentGrantSummary(caller: Caller, agentId: string) {
  const db = await prisma();
  const agent = await agentFor(db, caller, agentId, "agents.read", { owners: true });
  const now = new Date();
  const [grants, users, tokens] = await Promise.all([
    db.grant.count({ where: { agentId: agent.id, revokedAt: null } }),
    db.grant.groupBy({ by: ["userId"], where: { agentId: agent.id, revokedAt: null } }),
    db.token.count({
      where: { agentId: agent.id, revokedAt: null, expiresAt: { gt: now }, kind: { not: "AUTHORIZATION_CODE" } },
    }),
  ]);
  return { grants, users: users.length, liveTokens: tokens };
}
