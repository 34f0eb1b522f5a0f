import "server-only";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { can, canGlobally } from "@/lib/permissions";
import {
  AUDIT_ACTIONS,
  AUDIT_COUNT_LIMIT,
  type AuditFilter,
  type AuditListQuery,
  auditListSchema,
} from "@/lib/schemas/audit";
import { isUuid, parseInput } from "@/lib/validation";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Prisma } from "../db/generated/client";
import { tenantForInput } from "../tenants/resolve-tenant";
import { checkpointKeys, verifyChain } from "./chain";

// The audit log as people read it: newest first, paged by the chain's sequence number (so the
// ten-millionth event's page costs what the first does), with the filters auditors ask for.

export interface AuditEventRow {
  id: string;
  seq: string | null;
  occurredAt: Date;
  tenant: { id: string; slug: string } | null;
  actor: { type: string; id: string | null; label: string | null };
  onBehalfOf: string | null;
  action: string;
  target: { type: string | null; id: string | null };
  outcome: string;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: unknown;
  prevHash: string | null;
  hash: string | null;
}

export interface AuditPage {
  rows: AuditEventRow[];
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
  query: AuditListQuery;
}

/** The events the caller may read: their tenants', and installation-wide ones for global readers. */
function readableWhere(caller: Caller, permission: "audit.read" | "audit.export"): Prisma.AuditEventWhereInput {
  if (canGlobally(caller.roles, permission)) return {};
  const tenants = Object.keys(caller.roles.tenants).filter((t) => can(caller.roles, permission, t));
  if (!tenants.length) throw new ForbiddenError();
  return { tenantId: { in: tenants } };
}

/** The filters as a where clause (the list and the export share it). */
export async function auditWhere(
  db: Db,
  caller: Caller,
  filter: AuditFilter,
  permission: "audit.read" | "audit.export" = "audit.read",
): Promise<Prisma.AuditEventWhereInput> {
  const and: Prisma.AuditEventWhereInput[] = [readableWhere(caller, permission), { seq: { not: null } }];
  if (filter.tenant) and.push({ tenantId: (await tenantForInput(db, caller, filter.tenant, permission)).id });
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
    if (filter.action.endsWith(".*")) {
      // A family is the actions of the catalog it names: an IN that the (action, seq) index
      // answers (every action Mandate records is in the catalog; a test keeps it so).
      const prefix = filter.action.slice(0, -1);
      and.push({ action: { in: Object.keys(AUDIT_ACTIONS).filter((a) => a.startsWith(prefix)) } });
    } else and.push({ action: filter.action });
  }
  if (filter.outcome) and.push({ outcome: filter.outcome });
  if (filter.q) {
    const q = filter.q;
    // An id (a target's, an actor's, a request's) is looked up exactly; anything else is part of
    // an actor's name, email or client id (a trigram index answers that).
    and.push(
      /^[\w-]{16,}$/.test(q)
        ? { OR: [{ targetId: q }, { actorId: q }, { requestId: q }] }
        : { actorLabel: { contains: q.replace(/[\\%_]/g, "\\$&"), mode: "insensitive" } },
    );
  }
  return { AND: and };
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

function encodeCursor(seq: bigint, d: "next" | "prev") {
  return `${d === "next" ? "n" : "p"}${seq}`;
}

function decodeCursor(value: string): { seq: bigint; d: "next" | "prev" } {
  const m = /^([np])(\d{1,19})$/.exec(value);
  if (!m) throw new ValidationError({ cursor: ["Not a cursor from this list: start again from the first page."] });
  return { seq: BigInt(m[2]), d: m[1] === "n" ? "next" : "prev" };
}

export async function listAuditEvents(caller: Caller, input: unknown): Promise<AuditPage> {
  const query = parseInput(auditListSchema, input ?? {});
  const db = await prisma();
  const where = await auditWhere(db, caller, query);
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const forward = !cursor || cursor.d === "next";
  const keyset: Prisma.AuditEventWhereInput | null = cursor
    ? { seq: forward ? { lt: cursor.seq } : { gt: cursor.seq } }
    : null;
  const [found, total] = await Promise.all([
    db.auditEvent.findMany({
      where: keyset ? { AND: [where, keyset] } : where,
      orderBy: { seq: forward ? "desc" : "asc" },
      take: query.page_size + 1,
    }),
    db.auditEvent.count({ where, take: AUDIT_COUNT_LIMIT + 1, orderBy: { seq: "desc" } }),
  ]);
  const more = found.length > query.page_size;
  const page = found.slice(0, query.page_size);
  if (!forward) page.reverse();
  const rows = await decorate(db, page);
  const hasNext = forward ? more : true;
  const hasPrev = forward ? !!cursor : more;
  return {
    rows,
    total: Math.min(total, AUDIT_COUNT_LIMIT),
    totalCapped: total > AUDIT_COUNT_LIMIT,
    nextCursor: hasNext && page.length ? encodeCursor(page[page.length - 1].seq as bigint, "next") : null,
    prevCursor: hasPrev && page.length ? encodeCursor(page[0].seq as bigint, "prev") : null,
    query,
  };
}

type EventRecord = Prisma.AuditEventGetPayload<object>;

async function decorate(db: Db, events: EventRecord[]): Promise<AuditEventRow[]> {
  const tenantIds = [...new Set(events.flatMap((e) => (e.tenantId ? [e.tenantId] : [])))];
  const tenants = tenantIds.length
    ? await db.tenant.findMany({ where: { id: { in: tenantIds } }, select: { id: true, slug: true } })
    : [];
  const slug = new Map(tenants.map((t) => [t.id, t.slug]));
  return events.map((e) => toRow(e, e.tenantId ? { id: e.tenantId, slug: slug.get(e.tenantId) ?? e.tenantId } : null));
}

export function toRow(e: EventRecord, tenant: { id: string; slug: string } | null): AuditEventRow {
  return {
    id: e.id.toString(),
    seq: e.seq?.toString() ?? null,
    occurredAt: e.occurredAt,
    tenant,
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    onBehalfOf: e.onBehalfOf,
    action: e.action,
    target: { type: e.targetType, id: e.targetId },
    outcome: e.outcome,
    reason: e.reason,
    requestId: e.requestId,
    ip: e.ip,
    userAgent: e.userAgent,
    data: e.data,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

export async function getAuditEvent(caller: Caller, id: string): Promise<AuditEventRow> {
  if (!/^\d{1,19}$/.test(id)) throw new NotFoundError("event");
  const db = await prisma();
  const e = await db.auditEvent.findUnique({ where: { id: BigInt(id) } });
  const readable =
    e && (canGlobally(caller.roles, "audit.read") || (e.tenantId && can(caller.roles, "audit.read", e.tenantId)));
  if (!e || !readable) throw new NotFoundError("event");
  return (await decorate(db, [e]))[0];
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
