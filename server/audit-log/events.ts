import "server-only";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { can, canGlobally } from "@/lib/permissions";
import {
  AUDIT_COUNT_LIMIT,
  type AuditFilter,
  type AuditListQuery,
  actionsOf,
  auditListSchema,
} from "@/lib/schemas/audit";
import type { CursorPage } from "@/lib/schemas/pagination";
import { isUuid, parseInput } from "@/lib/validation";
import { reach } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { keysetPage, seqCursor } from "../db/keyset";
import { tenantForInput } from "../tenants/resolve-tenant";
import { checkpointKeys } from "./checkpoints";
import { EventNamer, type NameScope } from "./names";
import { auditSearch } from "./search";
import { verifyChain } from "./verify";

// The audit log as people read it: newest first, paged by the chain's sequence number (so the
// ten-millionth event's page costs what the first does), with the filters auditors ask for.

export interface AuditEventRow {
  id: string;
  seq: string | null;
  occurredAt: Date;
  tenant: { id: string; slug: string; name: string } | null;
  /** `name`: the agent's, person's or automation client's name now (null for the system, or one since deleted). */
  actor: { type: string; id: string | null; label: string | null; name: string | null };
  /** The person an agent acted for: their id, and their name. */
  onBehalfOf: string | null;
  onBehalfOfName: string | null;
  action: string;
  /** `name`: for agents, people, tenants, policies, roles, scopes and automation clients. */
  target: { type: string | null; id: string | null; name: string | null };
  outcome: string;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: unknown;
  prevHash: string | null;
  hash: string | null;
}

export type AuditPage = CursorPage<AuditEventRow> & {
  /** The search named more agents, people or clients than it looks through (search.ts). */
  searchBroad: boolean;
  query: AuditListQuery;
};

type AuditPermission = "audit.read" | "audit.export";

/** The tenants whose events the caller may read, or null for every tenant and installation events. */
export function readableTenants(caller: Caller, permission: AuditPermission): NameScope {
  const tenants = reach(caller, permission);
  if (tenants === "all") return null;
  if (!tenants.length) throw new ForbiddenError();
  return tenants;
}

export interface AuditWhere {
  where: Prisma.AuditEventWhereInput;
  /** The tenants the events come from (null: every one): whose things may be named. */
  scope: NameScope;
  searchBroad: boolean;
}

/** The filters as a where clause (the list and the export share it). */
export async function auditWhere(
  db: Db,
  caller: Caller,
  filter: AuditFilter,
  permission: AuditPermission = "audit.read",
): Promise<AuditWhere> {
  let scope = readableTenants(caller, permission);
  const and: Prisma.AuditEventWhereInput[] = [scope ? { tenantId: { in: scope } } : {}, { seq: { not: null } }];
  if (filter.tenant) {
    const tenantId = (await tenantForInput(db, caller, filter.tenant, permission)).id;
    and.push({ tenantId });
    scope = [tenantId];
  }
  if (filter.from) and.push({ occurredAt: { gte: filter.from } });
  if (filter.to) and.push({ occurredAt: { lt: filter.to } });
  if (filter.from || filter.to) {
    // Time ranges also bound the sequence (the two grow together), so that the newest-first scan
    // of a long log starts at the range instead of walking to it.
    const bounds = await seqBounds(db, filter.from, filter.to);
    if (bounds.min !== null) and.push({ seq: { gte: bounds.min } });
    if (bounds.max !== null) and.push({ seq: { lte: bounds.max } });
  }
  if (filter.actor_type) and.push({ actorType: filter.actor_type });
  if (filter.actor) and.push({ actorId: filter.actor });
  if (filter.agent) {
    and.push({
      OR: [
        { actorType: "agent", actorId: filter.agent },
        { targetType: "agent", targetId: filter.agent },
      ],
    });
  }
  if (filter.action) {
    // A family is every event that changed what it names (lib/schemas/audit.ts): an IN that the
    // (action, seq) index answers (every action Mandate records is in the catalog; a test keeps it so).
    and.push({ action: filter.action.endsWith(".*") ? { in: actionsOf(filter.action) } : filter.action });
  }
  if (filter.outcome) and.push({ outcome: filter.outcome });
  let searchBroad = false;
  if (filter.q) {
    const search = await auditSearch(db, scope, filter.q);
    and.push(search.where);
    searchBroad = search.broad;
  }
  return { where: { AND: and }, scope, searchBroad };
}

/** The first and last sequence numbers of a time range, read from the occurred_at index (with a minute's slack). */
async function seqBounds(db: Db, from?: Date, to?: Date) {
  const slack = 60_000;
  const [first, last] = await Promise.all([
    from
      ? db.auditEvent.findFirst({
          where: { occurredAt: { gte: new Date(from.getTime() - slack) }, seq: { not: null } },
          orderBy: { occurredAt: "asc" },
          select: { seq: true },
        })
      : null,
    to
      ? db.auditEvent.findFirst({
          where: { occurredAt: { lt: new Date(to.getTime() + slack) }, seq: { not: null } },
          orderBy: { occurredAt: "desc" },
          select: { seq: true },
        })
      : null,
  ]);
  return {
    min: from ? (first?.seq ?? Number.MAX_SAFE_INTEGER) : null,
    max: to ? (last?.seq ?? 0) : null,
  } as { min: bigint | number | null; max: bigint | number | null };
}

export async function listAuditEvents(caller: Caller, input: unknown): Promise<AuditPage> {
  const query = parseInput(auditListSchema, input ?? {});
  const db = await prisma();
  const { where, scope, searchBroad } = await auditWhere(db, caller, query);
  const page = await keysetPage({
    // The chain's sequence number: unique, so no tie-breaker.
    key: "seq",
    keyOf: (e: EventRecord) => e.seq as bigint,
    cursors: seqCursor,
    sort: "seq",
    dir: "desc",
    pageSize: query.page_size,
    cursor: query.cursor,
    where,
    find: (where, order, take) => db.auditEvent.findMany({ where, orderBy: { seq: order }, take }),
    count: (where, take) => db.auditEvent.count({ where, take, orderBy: { seq: "desc" } }),
    countLimit: AUDIT_COUNT_LIMIT,
  });
  return { ...page, rows: await decorate(db, scope, page.rows), searchBroad, query };
}

type EventRecord = Prisma.AuditEventGetPayload<object>;

/** The events with the names of what they involve, looked up in one batch (names.ts). */
async function decorate(db: Db, scope: NameScope, events: EventRecord[]): Promise<AuditEventRow[]> {
  const namer = new EventNamer(db, scope);
  await namer.load(events);
  return events.map((e) => {
    const names = namer.namesOf(e);
    return {
      id: e.id.toString(),
      seq: e.seq?.toString() ?? null,
      occurredAt: e.occurredAt,
      tenant: e.tenantId ? (names.tenant ?? { id: e.tenantId, slug: e.tenantId, name: e.tenantId }) : null,
      actor: { type: e.actorType, id: e.actorId, label: e.actorLabel, name: names.actor },
      onBehalfOf: e.onBehalfOf,
      onBehalfOfName: names.onBehalfOf,
      action: e.action,
      target: { type: e.targetType, id: e.targetId, name: names.target },
      outcome: e.outcome,
      reason: e.reason,
      requestId: e.requestId,
      ip: e.ip,
      userAgent: e.userAgent,
      data: e.data,
      prevHash: e.prevHash,
      hash: e.hash,
    };
  });
}

export async function getAuditEvent(caller: Caller, id: string): Promise<AuditEventRow> {
  if (!/^\d{1,19}$/.test(id)) throw new NotFoundError("event");
  const db = await prisma();
  const e = await db.auditEvent.findUnique({ where: { id: BigInt(id) } });
  const global = canGlobally(caller.roles, "audit.read");
  const readable = e && (global || (e.tenantId && can(caller.roles, "audit.read", e.tenantId)));
  if (!e || !readable) throw new NotFoundError("event");
  return (await decorate(db, global ? null : [e.tenantId as string], [e]))[0];
}

/** Who appears in a tenant's log, for the actor filter: its people, agents and automation clients. */
export async function auditActorChoices(caller: Caller, tenantId: string) {
  if (!isUuid(tenantId) || !can(caller.roles, "audit.read", tenantId)) throw new NotFoundError("tenant");
  const db = await prisma();
  const [people, agents, clients] = await Promise.all([
    db.user.findMany({
      where: { memberships: { some: { tenantId } } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: 500,
    }),
    db.agent.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: { name: "asc" }, take: 500 }),
    db.automationClient.findMany({
      where: { OR: [{ tenantId }, { tenantId: null }] },
      select: { id: true, name: true, clientId: true },
      orderBy: { name: "asc" },
      take: 200,
    }),
  ]);
  return { people, agents, clients };
}

/**
 * Verifies the whole chain (installation-wide readers: security admins and global auditors) and
 * says with which key checkpoints are signed.
 */
export async function verifyAuditLog(caller: Caller) {
  if (!canGlobally(caller.roles, "audit.read"))
    throw new ForbiddenError("Verifying the audit chain needs a role across every tenant.");
  const db = await prisma();
  const result = await verifyChain(db);
  const keys = checkpointKeys();
  return { ...result, publicKey: keys.publicKeyRaw, keyId: keys.keyId };
}
