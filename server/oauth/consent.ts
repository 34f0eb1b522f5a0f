import "server-only";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { isUuid } from "@/lib/validation";
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

export async function consentRequest(db: Db, caller: Caller, uid: string): Promise<ConsentRequest> {
  const interaction = await loadInteraction(db, uid);
  const clientId = interaction?.params.client_id;
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
  };
}
