import "server-only";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { canGlobally } from "@/lib/permissions";
import type { CursorPage } from "@/lib/schemas/pagination";
import { type GlobalRoleName, type MemberRole, userListSchema } from "@/lib/schemas/users";
import { isUuid, parseInput } from "@/lib/validation";
import { reach } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { liveSessionWhere } from "../auth/sessions";
import { type Db, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { jsonCursor, keysetPage } from "../db/keyset";
import { tenantForInput } from "../tenants/resolve-tenant";
import { GLOBAL_ROLE_FROM_DB, MEMBER_ROLE_FROM_DB } from "./invitations";

// People as the console and the admin API list them. Security admins and installation-wide
// auditors see everyone; tenant owners and auditors see their tenants' members. A person outside
// the caller's reach is NotFound, like anything else they cannot see.

export interface PersonRow {
  id: string;
  name: string;
  email: string;
  globalRole: GlobalRoleName | null;
  status: "active" | "deactivated";
  /** Never signed in: an account made for a scripted set-up, or through SSO not yet used. */
  createdAt: Date;
  lastSignInAt: Date | null;
  deactivatedAt: Date | null;
  /** Their memberships in the tenants the caller can see. */
  memberships: { tenant: { id: string; slug: string; name: string }; role: MemberRole }[];
}

export interface PersonDetail extends PersonRow {
  /** Agents (not retired) they own or back up, in the tenants where the caller reads agents. */
  agents: {
    id: string;
    name: string;
    status: string;
    relation: "owner" | "backup";
    tenant: { id: string; slug: string; name: string };
  }[];
  /** Live console sessions (for those who manage people). */
  liveSessions: number | null;
}

const personInclude = {
  memberships: {
    select: { role: true, tenant: { select: { id: true, slug: true, name: true } } },
    orderBy: { tenant: { name: "asc" } },
  },
} as const satisfies Prisma.UserInclude;

type PersonWithMemberships = Prisma.UserGetPayload<{ include: typeof personInclude }>;

/** The people the caller may see. */
function visibleWhere(caller: Caller): { where: Prisma.UserWhereInput; tenants: "all" | string[] } {
  const tenants = reach(caller, "members.read", "users.read");
  if (tenants === "all") return { where: {}, tenants };
  return { where: { memberships: { some: { tenantId: { in: tenants } } } }, tenants };
}

function toRow(user: PersonWithMemberships, tenants: "all" | string[]): PersonRow {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    globalRole: user.globalRole ? GLOBAL_ROLE_FROM_DB[user.globalRole] : null,
    status: user.deactivatedAt ? "deactivated" : "active",
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
    deactivatedAt: user.deactivatedAt,
    memberships: user.memberships
      .filter((m) => tenants === "all" || tenants.includes(m.tenant.id))
      .map((m) => ({ tenant: m.tenant, role: MEMBER_ROLE_FROM_DB[m.role] })),
  };
}

/** LIKE's wildcards match themselves in a search. */
const contains = (q: string) => ({ contains: q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" as const });

/** People by name, paged by cursor, with a search on name or email and a tenant filter. */
export async function listPeople(caller: Caller, input: unknown): Promise<CursorPage<PersonRow>> {
  const query = parseInput(userListSchema, input ?? {});
  const db = await prisma();
  const visible = visibleWhere(caller);
  const and: Prisma.UserWhereInput[] = [visible.where];
  if (query.tenant) {
    const tenant = await tenantForInput(db, caller, query.tenant, "members.read");
    and.push({ memberships: { some: { tenantId: tenant.id } } });
  }
  if (query.status === "active") and.push({ deactivatedAt: null });
  if (query.status === "deactivated") and.push({ deactivatedAt: { not: null } });
  if (query.q) and.push({ OR: [{ name: contains(query.q) }, { email: contains(query.q) }] });
  const page = await keysetPage<PersonWithMemberships, Prisma.UserWhereInput, string>({
    key: "name",
    keyOf: (u) => u.name,
    idOf: (u) => u.id,
    cursors: jsonCursor("string"),
    sort: "name",
    dir: "asc",
    pageSize: query.page_size,
    cursor: query.cursor,
    where: { AND: and },
    find: (where, order, take) =>
      db.user.findMany({ where, orderBy: [{ name: order }, { id: order }], take, include: personInclude }),
    count: (where, take) => db.user.count({ where, take }),
  });
  return { ...page, rows: page.rows.map((u) => toRow(u, visible.tenants)) };
}

/** A person by id or email, if the caller may see them. */
async function visiblePerson(db: Db, caller: Caller, ref: string): Promise<PersonWithMemberships> {
  const value = ref.trim();
  const email = String(value).toLowerCase();
  const where = isUuid(value) ? { id: value } : email.includes("@") && email.length <= 254 ? { email } : null;
  const user = where ? await db.user.findUnique({ where, include: personInclude }) : null;
  const { tenants } = visibleWhere(caller);
  const visible = !!user && (tenants === "all" || user.memberships.some((m) => tenants.includes(m.tenant.id)));
  if (!user || !visible) throw new NotFoundError("person");
  return user;
}

export async function getPerson(caller: Caller, ref: string): Promise<PersonDetail> {
  const db = await prisma();
  const user = await visiblePerson(db, caller, ref);
  const { tenants } = visibleWhere(caller);
  const agentTenants = reach(caller, "agents.read");
  const agents = await db.agent.findMany({
    where: {
      OR: [{ ownerId: user.id }, { backupOwnerId: user.id }],
      status: { not: "RETIRED" },
      ...(agentTenants === "all" ? {} : { tenantId: { in: agentTenants } }),
    },
    select: {
      id: true,
      name: true,
      status: true,
      ownerId: true,
      tenant: { select: { id: true, slug: true, name: true } },
    },
    orderBy: { name: "asc" },
    take: 200,
  });
  const liveSessions = canGlobally(caller.roles, "users.manage")
    ? await db.consoleSession.count({ where: { userId: user.id, ...liveSessionWhere(env().SESSION_MAX_AGE_MINUTES) } })
    : null;
  return {
    ...toRow(user, tenants),
    agents: agents.map((a) => ({
      id: a.id,
      name: a.name,
      status: a.status.toLowerCase(),
      relation: a.ownerId === user.id ? "owner" : "backup",
      tenant: a.tenant,
    })),
    liveSessions,
  };
}
