import "server-only";
import { isUuid } from "@/lib/validation";
import type { Db } from "../db";
import type { Prisma } from "../db/generated/client";

// Events record ids; people read names. The names of a page's (or an export batch's) actors,
// people acted for, targets and tenants are looked up together, one query per kind of thing
// (people, agents, automation clients, tenants, policies, roles, scopes), never one per event.
// Only things of the tenants the reader may read are named (and global ones: policies, roles,
// scopes and automation clients without a tenant); people are named wherever they appear in an
// event the reader may read.

/** The tenants whose things may be named: the reader's, or every tenant (null). */
export type NameScope = string[] | null;

type Kind = "user" | "agent" | "client" | "tenant" | "policy" | "role" | "scope";

type Named = Pick<
  Prisma.AuditEventGetPayload<object>,
  "tenantId" | "actorType" | "actorId" | "onBehalfOf" | "targetType" | "targetId" | "data"
>;

export interface EventNames {
  tenant: { id: string; slug: string; name: string } | null;
  actor: string | null;
  onBehalfOf: string | null;
  target: string | null;
}

const ACTOR_KIND: Record<string, Kind> = { user: "user", agent: "agent", client: "client" };
const TARGET_KIND: Record<string, Kind> = {
  user: "user",
  agent: "agent",
  automation_client: "client",
  tenant: "tenant",
  policy: "policy",
  role: "role",
  scope: "scope",
};

const kindOf = (kinds: Record<string, Kind>, type: string | null): Kind | undefined =>
  type && Object.hasOwn(kinds, type) ? kinds[type] : undefined;

/**
 * Names for events, looked up in batches and remembered up to `limit` of them (then forgotten all
 * at once), so that an export of any length holds a bounded number.
 */
export class EventNamer {
  private readonly known = new Map<string, string | null>();
  private readonly tenants = new Map<string, { slug: string; name: string } | null>();

  constructor(
    private readonly db: Db,
    private readonly scope: NameScope,
    private readonly limit = 5_000,
  ) {}

  /** Looks up, in one query per kind, the names of these events not already known. */
  async load(events: readonly Named[]): Promise<void> {
    if (this.known.size + this.tenants.size > this.limit) {
      this.known.clear();
      this.tenants.clear();
    }
    const wanted: Record<Kind, Set<string>> = {
      user: new Set(),
      agent: new Set(),
      client: new Set(),
      tenant: new Set(),
      policy: new Set(),
      role: new Set(),
      scope: new Set(),
    };
    const want = (kind: Kind | undefined, id: string | null) => {
      if (!kind || !id) return;
      if (kind === "tenant" ? this.tenants.has(id) : this.known.has(`${kind}:${id}`)) return;
      // Every kind but automation clients (named by client id too) is keyed by a UUID.
      if (kind === "client" || isUuid(id)) wanted[kind].add(id);
    };
    for (const e of events) {
      want("tenant", e.tenantId);
      want(kindOf(ACTOR_KIND, e.actorType), e.actorId);
      want("user", e.onBehalfOf);
      want(kindOf(TARGET_KIND, e.targetType), e.targetId);
    }
    const ids = (kind: Kind) => [...wanted[kind]];
    const inScope = this.scope ? { tenantId: { in: this.scope } } : {};
    const inScopeOrGlobal = this.scope ? { OR: [{ tenantId: { in: this.scope } }, { tenantId: null }] } : {};
    const select = { id: true, name: true } as const;
    const clientIds = ids("client");
    const [users, agents, clients, tenants, policies, roles, scopes] = await Promise.all([
      wanted.user.size ? this.db.user.findMany({ where: { id: { in: ids("user") } }, select }) : [],
      wanted.agent.size ? this.db.agent.findMany({ where: { id: { in: ids("agent") }, ...inScope }, select }) : [],
      clientIds.length
        ? this.db.automationClient.findMany({
            where: {
              AND: [
                { OR: [{ id: { in: clientIds.filter(isUuid) } }, { clientId: { in: clientIds } }] },
                inScopeOrGlobal,
              ],
            },
            select: { ...select, clientId: true },
          })
        : [],
      wanted.tenant.size
        ? this.db.tenant.findMany({
            where: { id: { in: ids("tenant").filter((id) => !this.scope || this.scope.includes(id)) } },
            select: { ...select, slug: true },
          })
        : [],
      wanted.policy.size
        ? this.db.policy.findMany({ where: { id: { in: ids("policy") }, ...inScopeOrGlobal }, select })
        : [],
      wanted.role.size ? this.db.role.findMany({ where: { id: { in: ids("role") }, ...inScopeOrGlobal }, select }) : [],
      wanted.scope.size
        ? this.db.scope.findMany({ where: { id: { in: ids("scope") }, ...inScopeOrGlobal }, select })
        : [],
    ]);
    // What was asked for and not found (gone, or not the reader's) is remembered as nameless.
    for (const kind of Object.keys(wanted) as Kind[]) {
      for (const id of wanted[kind]) {
        if (kind === "tenant") this.tenants.set(id, null);
        else this.known.set(`${kind}:${id}`, null);
      }
    }
    const remember = (kind: Kind, rows: { id: string; name: string }[]) => {
      for (const r of rows) this.known.set(`${kind}:${r.id}`, r.name);
    };
    remember("user", users);
    remember("agent", agents);
    remember("policy", policies);
    remember("role", roles);
    remember("scope", scopes);
    for (const c of clients) {
      this.known.set(`client:${c.id}`, c.name);
      this.known.set(`client:${c.clientId}`, c.name);
    }
    for (const t of tenants) this.tenants.set(t.id, { slug: t.slug, name: t.name });
  }

  /** The names of one event (load it first); a thing since deleted keeps the name its event recorded. */
  namesOf(e: Named): EventNames {
    const name = (kind: Kind | undefined, id: string | null) =>
      kind && id ? (this.known.get(`${kind}:${id}`) ?? null) : null;
    const tenant = e.tenantId ? this.tenants.get(e.tenantId) : null;
    return {
      tenant: tenant && e.tenantId ? { id: e.tenantId, ...tenant } : null,
      actor: name(kindOf(ACTOR_KIND, e.actorType), e.actorId),
      onBehalfOf: name("user", e.onBehalfOf),
      target: name(kindOf(TARGET_KIND, e.targetType), e.targetId) ?? recordedName(e),
    };
  }
}

/**
 * A target's name from what its event recorded: a thing since deleted keeps the name it had
 * ("before"), and a decision reads as what was asked ("email.send on Document d-1").
 */
function recordedName(e: Named): string | null {
  const data = e.data as {
    before?: { name?: unknown };
    action?: unknown;
    resource?: { type?: unknown; id?: unknown };
  } | null;
  if (e.targetType === "decision" && typeof data?.action === "string") {
    const resource = data.resource;
    return typeof resource?.type === "string" && typeof resource.id === "string"
      ? `${data.action} on ${resource.type} ${resource.id}`
      : data.action;
  }
  const before = data?.before?.name;
  return kindOf(TARGET_KIND, e.targetType) && typeof before === "string" ? before : null;
}
