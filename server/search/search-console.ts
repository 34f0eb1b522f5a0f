import "server-only";
import { STATUS_LABELS } from "@/lib/agent-lifecycle";
import { NotFoundError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { can, canGlobally } from "@/lib/permissions";
import { AUDIT_ACTIONS } from "@/lib/schemas/audit";
import {
  type ConsoleSearchResult,
  consoleSearchSchema,
  SEARCH_HITS_PER_KIND,
  SEARCH_KIND_PERMISSIONS,
  SEARCH_KINDS,
  type SearchHit,
  type SearchKind,
} from "@/lib/schemas/search";
import { isUuid, parseInput } from "@/lib/validation";
import { agentFor } from "../agents/agent-access";
import { listAgents } from "../agents/list-agents";
import { auditWhere } from "../audit-log/events";
import { EventNamer } from "../audit-log/names";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import { getGrant, listGrants } from "../grants/list-grants";
import { policiesOfTenant } from "../policies/policies";
import { getTenant, listTenants } from "../tenants/manage-tenants";
import { getPerson, listPeople } from "../users/people";

// The console's command palette: agents, people, grants, policies, tenants and audit events of one
// tenant by name or id, each through the domain function (or the where-builder) its own page uses,
// so every result is one the caller could reach by clicking. A kind the caller cannot read is
// absent; nothing of another tenant appears (people excepted for those who read everyone).

interface Ctx {
  db: Db;
  caller: Caller;
  tenantId: string;
  /** The tenant's console address, "/acme". */
  base: string;
  q: string;
}

/** Ids that are not UUIDs (grants', requests', clients'): what the audit search also takes for one. */
const ID_LIKE = /^[\w-]{16,100}$/;

/** A lookup by id that the caller may not see (or that names nothing) is simply no result. */
async function unlessNotFound<T>(lookup: () => Promise<T>): Promise<T | null> {
  try {
    return await lookup();
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

async function agents({ db, caller, tenantId, base, q }: Ctx) {
  const [page, byId] = await Promise.all([
    listAgents(caller, tenantId, { q, sort: "name", dir: "asc", page_size: 10 }),
    isUuid(q) ? unlessNotFound(() => agentFor(db, caller, q, "agents.read")) : null,
  ]);
  const hit = (a: { id: string; name: string; status: keyof typeof STATUS_LABELS; owner?: string }): SearchHit => ({
    kind: "agent",
    id: a.id,
    title: a.name,
    detail: [STATUS_LABELS[a.status], a.owner ? `owned by ${a.owner}` : null].filter(Boolean).join(" · "),
    href: `${base}/agents/${a.id}`,
  });
  // An agent of another tenant is not this tenant's, whoever may read it.
  const exact =
    byId && byId.tenantId === tenantId
      ? hit({ ...byId, status: byId.status.toLowerCase() as keyof typeof STATUS_LABELS })
      : null;
  return { exact, hits: page.rows.map((a) => hit({ ...a, owner: a.owner.name })) };
}

async function people({ caller, tenantId, base, q }: Ctx) {
  // As the People page: those who read everyone find anyone; the others this tenant's members.
  const everyone = canGlobally(caller.roles, "users.read");
  const [page, byId] = await Promise.all([
    listPeople(caller, { q, page_size: 10, ...(everyone ? {} : { tenant: tenantId }) }),
    isUuid(q) ? unlessNotFound(() => getPerson(caller, q)) : null,
  ]);
  const hit = (p: { id: string; name: string; email: string; status: string }): SearchHit => ({
    kind: "person",
    id: p.id,
    title: p.name,
    detail: p.status === "deactivated" ? `${p.email} · deactivated` : p.email,
    href: `${base}/people/${p.id}`,
  });
  const member = byId && (everyone || byId.memberships.some((m) => m.tenant.id === tenantId));
  return { exact: byId && member ? hit(byId) : null, hits: page.rows.map(hit) };
}

async function grants({ caller, tenantId, base, q }: Ctx) {
  // Members read only their own grants ("My connected agents"), as on the Grants page.
  const everyone = can(caller.roles, "grants.read", tenantId);
  const [page, byId] = await Promise.all([
    listGrants(caller, { tenant: tenantId, q, status: "all", page_size: 10, ...(everyone ? {} : { mine: "true" }) }),
    ID_LIKE.test(q) ? unlessNotFound(() => getGrant(caller, q)) : null,
  ]);
  const hit = (g: Awaited<ReturnType<typeof getGrant>>): SearchHit => ({
    kind: "grant",
    id: g.id,
    title: everyone ? `${g.user.name} → ${g.agent.name}` : g.agent.name,
    detail: [g.scopes.map((s) => s.name).join(", ") || "no scopes", g.status].join(" · "),
    href: `${base}/grants?${new URLSearchParams({ user: g.user.id, agent: g.agent.id, status: g.status })}`,
  });
  const mine = byId && caller.type === "user" && byId.user.id === caller.id;
  const exact = byId && byId.tenant.id === tenantId && (everyone || mine) ? hit(byId) : null;
  return { exact, hits: page.rows.map(hit) };
}

async function policies({ db, tenantId, base, q }: Ctx) {
  // Readable here (checked by the caller of this function): the policies this tenant's page lists.
  const select = { id: true, name: true, tenantId: true, effect: true, enabled: true } as const;
  const [rows, byId] = await Promise.all([
    db.policy.findMany({
      where: { AND: [policiesOfTenant(tenantId), { name: { contains: escapeLike(q), mode: "insensitive" } }] },
      orderBy: [{ name: "asc" }, { id: "asc" }],
      take: SEARCH_HITS_PER_KIND,
      select,
    }),
    isUuid(q) ? db.policy.findFirst({ where: { AND: [policiesOfTenant(tenantId), { id: q }] }, select }) : null,
  ]);
  const hit = (p: NonNullable<typeof byId>): SearchHit => ({
    kind: "policy",
    id: p.id,
    title: p.name,
    detail: [p.tenantId ? "This tenant's" : "Global", p.effect, p.enabled ? "enabled" : "disabled"].join(" · "),
    href: `${base}/policies/${p.id}`,
  });
  return { exact: byId ? hit(byId) : null, hits: rows.map(hit) };
}

async function tenants({ caller, q }: Ctx) {
  const [page, byId] = await Promise.all([
    listTenants(caller, { q, page_size: 10 }),
    isUuid(q) ? unlessNotFound(() => getTenant(caller, q)) : null,
  ]);
  const hit = (t: { id: string; slug: string; name: string }): SearchHit => ({
    kind: "tenant",
    id: t.id,
    title: t.name,
    detail: `/${t.slug}`,
    href: `/${t.slug}`,
  });
  return { exact: byId ? hit(byId) : null, hits: page.rows.map(hit) };
}

async function auditEvents({ db, caller, tenantId, base, q }: Ctx) {
  // The Audit page's own search, in this tenant: ids exactly, names of agents, people and clients.
  const { where, scope } = await auditWhere(db, caller, { tenant: tenantId, q });
  const events = await db.auditEvent.findMany({ where, orderBy: { seq: "desc" }, take: SEARCH_HITS_PER_KIND });
  // What each event is about by name ("Agent registered · invoice-bot"), and who did it.
  const namer = new EventNamer(db, scope);
  await namer.load(events);
  const hits = events.map((e): SearchHit => {
    const names = namer.namesOf(e);
    const title = eventTitle(e.action, e.data);
    return {
      kind: "audit_event",
      id: e.id.toString(),
      title: names.target && e.action !== "decision.evaluate" ? `${title} · ${names.target}` : title,
      detail: [`by ${names.actor ?? e.actorLabel ?? e.actorType}`, e.outcome, formatUtc(e.occurredAt)].join(" · "),
      // Each event opens at its own address.
      href: `${base}/audit/${e.id}`,
    };
  });
  return { exact: null, hits };
}

/** "Agent suspended"; a decision names the action it was asked about ("Decision: payments.create"). */
function eventTitle(action: string, data: unknown): string {
  const label = AUDIT_ACTIONS[action] ?? action;
  const asked = (data as { action?: unknown } | null)?.action;
  return action === "decision.evaluate" && typeof asked === "string" ? `${label}: ${asked}` : label;
}

const SEARCHES: Record<SearchKind, (ctx: Ctx) => Promise<{ exact: SearchHit | null; hits: SearchHit[] }>> = {
  agent: agents,
  person: people,
  grant: grants,
  policy: policies,
  tenant: tenants,
  audit_event: auditEvents,
};

/** LIKE's wildcards match themselves in a search. */
function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, "\\$&");
}

/**
 * Searches the tenant for the palette: at most SEARCH_HITS_PER_KIND results of each kind the
 * caller may read there, and the object whose id is exactly the text. The text is validated like
 * any input (a ValidationError names `q`); a tenant the caller cannot read is NotFound.
 */
export async function searchConsole(caller: Caller, tenantId: string, q: unknown): Promise<ConsoleSearchResult> {
  const query = parseInput(consoleSearchSchema, { q }).q;
  assertCan(caller, "tenant.read", tenantId);
  const kinds = SEARCH_KINDS.filter((kind) => can(caller.roles, SEARCH_KIND_PERMISSIONS[kind], tenantId));
  if (!query) return { query, exact: null, groups: kinds.map((kind) => ({ kind, hits: [] })) };
  const db = await prisma();
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true } });
  const ctx: Ctx = { db, caller, tenantId, base: `/${tenant.slug}`, q: query };
  const found = await Promise.all(kinds.map((kind) => SEARCHES[kind](ctx)));
  const exact = found.find((f) => f.exact)?.exact ?? null;
  return {
    query,
    exact,
    groups: kinds.map((kind, i) => ({
      kind,
      // The exact match is shown once, first; its kind's group lists the rest.
      hits: found[i].hits
        .filter((h) => !(exact && h.kind === exact.kind && h.id === exact.id))
        .slice(0, SEARCH_HITS_PER_KIND),
    })),
  };
}
