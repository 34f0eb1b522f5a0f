import "server-only";
import { SEARCH_NAME_LIMIT } from "@/lib/schemas/audit";
import { isUuid } from "@/lib/validation";
import type { Db } from "../db";
import type { Prisma } from "../db/generated/client";
import type { NameScope } from "./names";

// The audit log's search box. An id is matched exactly, and only when it is one: a UUID (an
// agent's, a person's, a request's, a decision's…), an automation client's client id, a grant's
// id. Any other text is part of a name: the agents, people (name or email) and automation
// clients it names are looked up first (trigram indexes), and their events are those by them or
// about them; it also matches actors' recorded labels (emails, client ids, names of things since
// deleted). Every branch is an indexed lookup: (actor_id, seq), (target_id, seq), request_id and
// the trigram index on actor_label.

export interface AuditSearch {
  where: Prisma.AuditEventWhereInput;
  /** More than SEARCH_NAME_LIMIT of a kind matched: only the first are searched. */
  broad: boolean;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, "\\$&");

export async function auditSearch(db: Db, scope: NameScope, q: string): Promise<AuditSearch> {
  // (Through unknown: the check must not narrow q for the rest of the function.)
  if (isUuid(q as unknown)) {
    const id = q.toLowerCase();
    return { where: { OR: [{ actorId: id }, { targetId: id }, { requestId: id }] }, broad: false };
  }
  const contains = { contains: escapeLike(q), mode: "insensitive" } as const;
  const take = SEARCH_NAME_LIMIT + 1;
  const inScope = scope ? { tenantId: { in: scope } } : {};
  const [agents, people, clients, grant] = await Promise.all([
    db.agent.findMany({ where: { name: contains, ...inScope }, select: { id: true }, orderBy: { id: "asc" }, take }),
    // People are named wherever they appear: a person removed from a tenant is still in its log.
    db.user.findMany({
      where: { OR: [{ name: contains }, { email: contains }] },
      select: { id: true },
      orderBy: { id: "asc" },
      take,
    }),
    db.automationClient.findMany({
      where: {
        AND: [
          { OR: [{ name: contains }, { clientId: q }] },
          scope ? { OR: [{ tenantId: { in: scope } }, { tenantId: null }] } : {},
        ],
      },
      select: { id: true, clientId: true },
      orderBy: { id: "asc" },
      take,
    }),
    q.length <= 100 ? db.grant.findFirst({ where: { id: q, ...inScope }, select: { id: true } }) : null,
  ]);
  const broad = [agents, people, clients].some((rows) => rows.length > SEARCH_NAME_LIMIT);
  const named = [agents, people, clients].flatMap((rows) => rows.slice(0, SEARCH_NAME_LIMIT).map((r) => r.id));
  // An automation client acts under its row id, or under its client id where the authorization
  // server recorded the token's client.
  const actors = [...named, ...clients.slice(0, SEARCH_NAME_LIMIT).map((c) => c.clientId)];
  const or: Prisma.AuditEventWhereInput[] = [{ actorLabel: contains }];
  if (named.length) or.push({ actorId: { in: actors } }, { targetId: { in: named } });
  if (grant) or.push({ targetId: grant.id });
  return { where: { OR: or }, broad };
}
