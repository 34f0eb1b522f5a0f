import "server-only";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import type { ClientApprovalState, ClientSource } from "@/lib/schemas/mcp-clients";
import { isUuid } from "@/lib/validation";
import { connectedAgent, connectedClientSource, externalClient, grantableScopes } from "../agents/connected-clients";
import type { Caller } from "../auth/caller";
import { allowedScopes } from "../catalog/roles";
import type { Db } from "../db";
import type { Risk } from "../db/generated/client";
import { payloadKey } from "./hash";

// What a person sees before letting an agent act for them, and who may say yes. The page reads
// the pending authorization request straight from the database, so the console never loads the
// authorization server; the answer goes back through server/oauth/interaction.ts.

export interface InteractionPayload {
  uid: string;
  returnTo: string;
  exp: number;
  params: {
    client_id: string;
    redirect_uri?: string;
    scope?: string;
    resource?: string | string[];
  };
  prompt: { name: string; details?: Record<string, unknown> };
}

export interface ConsentScope {
  name: string;
  description: string;
  risk: Risk;
}

export interface ConsentRequest {
  uid: string;
  agent: { id: string; name: string; description: string; environment: string };
  owner: { name: string; email: string };
  tenant: { id: string; name: string; slug: string };
  redirectUri: string | null;
  resource: string | null;
  /** Requested scopes the agent may hold: these the person can grant. */
  scopes: ConsentScope[];
  /** Requested scopes outside the agent's roles: never granted, shown so nothing is hidden. */
  unavailable: string[];
  /** Null when the person may grant; else why not. */
  refusal: string | null;
  /** Set for an MCP client that identified itself (metadata document or registration). */
  client: ConnectedClientConsent | null;
}

export interface ConnectedClientConsent {
  clientId: string;
  source: ClientSource;
  /** When its metadata document was fetched, or it registered. */
  at: Date;
  clientUri: string | null;
  /** Its standing in the chosen tenant; "new" before anyone there let it in. */
  approval: ClientApprovalState | "new";
  /** The tenants the person may let it into, the chosen one among them. */
  tenants: { id: string; slug: string; name: string }[];
}

export async function loadInteraction(db: Db, uid: string): Promise<InteractionPayload | null> {
  if (!/^[\w-]{10,64}$/.test(uid)) return null;
  const row = await db.oidcPayload.findUnique({ where: { key: payloadKey("Interaction", uid) } });
  if (!row || (row.expiresAt && row.expiresAt <= new Date())) return null;
  return row.payload as unknown as InteractionPayload;
}

export function requestedScopes(interaction: InteractionPayload): string[] {
  return [...new Set((interaction.params.scope ?? "").split(" ").filter(Boolean))];
}

/** A person may let an agent act for them in the agent's tenant if they belong to it (grants.consent). */
export function consentRefusal(caller: Caller, tenantId: string): string | null {
  if (can(caller.roles, "grants.consent", tenantId)) return null;
  return "You are not a member of this agent's tenant, so you cannot let it act for you there.";
}

/** The tenants a person may let a connected client into: theirs, or every tenant for a global role. */
export async function consentTenants(db: Db, caller: Caller) {
  const ids = Object.keys(caller.roles.tenants).filter((id) => can(caller.roles, "grants.consent", id));
  const global = caller.roles.global !== null;
  return db.tenant.findMany({
    where: global ? {} : { id: { in: ids } },
    select: { id: true, slug: true, name: true },
    orderBy: { name: "asc" },
    take: 100,
  });
}

export async function consentRequest(
  db: Db,
  caller: Caller,
  uid: string,
  tenantSlug?: string,
): Promise<ConsentRequest> {
  const interaction = await loadInteraction(db, uid);
  const clientId = interaction?.params.client_id;
  if (interaction && clientId && connectedClientSource(clientId)) {
    return connectedConsentRequest(db, caller, interaction, clientId, tenantSlug);
  }
  if (!interaction || !clientId || !isUuid(clientId)) throw new NotFoundError("This authorization request");
  const agent = await db.agent.findUnique({
    where: { id: clientId },
    include: {
      owner: { select: { name: true, email: true } },
      tenant: { select: { id: true, name: true, slug: true } },
    },
  });
  if (!agent) throw new NotFoundError("This authorization request");

  const requested = requestedScopes(interaction);
  const allowed = new Set(await allowedScopes(db, agent.id));
  const grantable = requested.filter((s) => allowed.has(s));
  const catalog = await db.scope.findMany({
    where: { name: { in: grantable }, OR: [{ tenantId: null }, { tenantId: agent.tenantId }] },
    select: { name: true, description: true, risk: true },
  });
  const byName = new Map(catalog.map((s) => [s.name, s]));
  const resource = interaction.params.resource;
  return {
    uid,
    agent: { id: agent.id, name: agent.name, description: agent.description, environment: agent.environment },
    owner: agent.owner,
    tenant: agent.tenant,
    redirectUri: interaction.params.redirect_uri ?? null,
    resource: Array.isArray(resource) ? resource.join(" ") : (resource ?? null),
    scopes: grantable.map((name) => byName.get(name) ?? { name, description: "", risk: "LOW" as Risk }),
    unavailable: requested.filter((s) => !allowed.has(s)),
    refusal:
      agent.status !== "ACTIVE"
        ? `${agent.name} is ${agent.status.toLowerCase()} and cannot be granted access.`
        : agent.consentWithdrawnAt
          ? `${agent.tenant.name} has withdrawn its consent from ${agent.name}: it cannot be granted access there.`
          : consentRefusal(caller, agent.tenantId),
    client: null,
  };
}

async function scopeDetails(db: Db, names: string[], tenantId: string): Promise<ConsentScope[]> {
  const catalog = await db.scope.findMany({
    where: { name: { in: names }, OR: [{ tenantId: null }, { tenantId }] },
    select: { name: true, description: true, risk: true },
  });
  const byName = new Map(catalog.map((s) => [s.name, s]));
  return names.map((name) => byName.get(name) ?? { name, description: "", risk: "LOW" as Risk });
}

/**
 * An MCP client that identified itself asks to act for the person: the person picks the tenant
 * to let it into (their own), and sees where its metadata came from and its standing there.
 */
async function connectedConsentRequest(
  db: Db,
  caller: Caller,
  interaction: InteractionPayload,
  clientId: string,
  tenantSlug: string | undefined,
): Promise<ConsentRequest> {
  const client = await externalClient(db, clientId);
  if (!client) throw new NotFoundError("This authorization request");
  const tenants = await consentTenants(db, caller);
  const tenant = tenants.find((t) => t.slug === tenantSlug) ?? tenants[0];
  const requested = requestedScopes(interaction);
  const resource = interaction.params.resource;
  const base = {
    uid: interaction.uid,
    redirectUri: interaction.params.redirect_uri ?? null,
    resource: Array.isArray(resource) ? resource.join(" ") : (resource ?? null),
  };
  const clientUri = typeof client.metadata.client_uri === "string" ? client.metadata.client_uri : null;
  const described = {
    id: clientId,
    name: client.name,
    description: "An MCP client that identified itself; Mandate did not register it.",
    environment: "production",
  };
  if (!tenant) {
    return {
      ...base,
      agent: described,
      owner: { name: caller.name, email: caller.type === "user" ? caller.email : caller.clientId },
      tenant: { id: "", name: "no tenant", slug: "" },
      scopes: [],
      unavailable: requested,
      refusal: "You belong to no tenant you could let this client into.",
      client: { clientId, source: client.source, at: client.at, clientUri, approval: "new", tenants },
    };
  }
  const agent = await connectedAgent(db, tenant.id, clientId);
  const owner = agent
    ? await db.user.findUniqueOrThrow({ where: { id: agent.ownerId }, select: { name: true, email: true } })
    : { name: caller.name, email: caller.type === "user" ? caller.email : caller.clientId };
  const allowed = new Set(
    await grantableScopes(db, {
      id: agent?.id ?? null,
      tenantId: tenant.id,
      clientApproval: agent?.clientApproval ?? "PENDING",
    }),
  );
  const grantable = requested.filter((s) => allowed.has(s));
  const approval = agent ? (agent.clientApproval?.toLowerCase() as ClientApprovalState) : "new";
  // What cannot be granted is listed so nothing is hidden, but only by names this tenant knows:
  // a default scope request may name other tenants' open scopes.
  const known = new Set(
    (
      await db.scope.findMany({
        where: { name: { in: requested }, OR: [{ tenantId: null }, { tenantId: tenant.id }] },
        select: { name: true },
      })
    ).map((s) => s.name),
  );
  return {
    ...base,
    agent: { ...described, name: agent?.name ?? client.name },
    owner,
    tenant,
    scopes: await scopeDetails(db, grantable, tenant.id),
    unavailable: requested.filter((s) => !allowed.has(s) && known.has(s)),
    refusal:
      approval === "blocked"
        ? `${tenant.name} has blocked this client: it cannot be granted access there.`
        : agent && agent.status !== "ACTIVE"
          ? `This client is ${agent.status.toLowerCase()} in ${tenant.name} and cannot be granted access.`
          : agent?.consentWithdrawnAt
            ? `${tenant.name} has withdrawn its consent from this client.`
            : null,
    client: { clientId, source: client.source, at: client.at, clientUri, approval, tenants },
  };
}
