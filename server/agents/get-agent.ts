import "server-only";
import { reviewState } from "@/lib/agent-lifecycle";
import { can } from "@/lib/permissions";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import { agentFor, isAgentOwner } from "./agent-access";
import { mayDelegateToOf } from "./delegation";
import { environmentFromDb, riskFromDb, statusFromDb } from "./mappers";

const person = { select: { id: true, name: true, email: true, deactivatedAt: true } } as const;

/** Everything the agent page shows: overview, history, credentials, roles and effective scopes. */
export async function getAgentDetail(caller: Caller, agentId: string) {
  const db = await prisma();
  const base = await agentFor(db, caller, agentId, "agents.read", { owners: true });
  const agent = await db.agent.findUniqueOrThrow({
    where: { id: base.id },
    include: {
      owner: person,
      backupOwner: person,
      history: { orderBy: { at: "desc" }, take: 100 },
      credentials: { orderBy: { createdAt: "desc" } },
      roles: {
        include: { role: { include: { scopes: { include: { scope: true } } } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  const status = statusFromDb(agent.status);
  const mayDelegateTo = mayDelegateToOf(agent);
  const delegates = mayDelegateTo?.length
    ? await db.agent.findMany({
        where: { tenantId: agent.tenantId, id: { in: mayDelegateTo } },
        select: { id: true, name: true },
        orderBy: { name: "asc" },
      })
    : [];
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: agent.tenantId }, select: { dpopRequired: true } });
  const scopes = new Map<
    string,
    { name: string; description: string; risk: ReturnType<typeof riskFromDb>; via: string[] }
  >();
  for (const { role } of agent.roles) {
    for (const { scope } of role.scopes) {
      const entry = scopes.get(scope.name) ?? {
        name: scope.name,
        description: scope.description,
        risk: riskFromDb(scope.risk),
        via: [],
      };
      entry.via.push(role.name);
      scopes.set(scope.name, entry);
    }
  }
  const now = new Date();
  return {
    id: agent.id,
    tenantId: agent.tenantId,
    name: agent.name,
    description: agent.description,
    status,
    environment: environmentFromDb(agent.environment),
    attributes: agent.attributes as Record<string, string | number | boolean>,
    redirectUris: agent.redirectUris,
    tokenTtlSeconds: agent.tokenTtlSeconds,
    /** Who may act on its tokens by token exchange: null for any agent of its tenant. */
    mayDelegateTo,
    /** The agents mayDelegateTo lists, with their names. */
    delegates,
    /** RFC 9449: its tokens must be DPoP-bound (set on the agent). */
    dpopRequired: agent.dpopRequired,
    /** Its tenant requires DPoP of every agent (then the agent's own setting does not matter). */
    tenantDpopRequired: tenant.dpopRequired,
    /** An MCP client that identified itself and was let into the tenant by a person's consent. */
    mcpClient:
      agent.kind === "MCP_CLIENT"
        ? {
            clientId: agent.oauthClientId ?? "",
            source: agent.clientSource === "registration" ? ("registration" as const) : ("metadata_document" as const),
            approval: (agent.clientApproval ?? "PENDING").toLowerCase() as "pending" | "approved" | "blocked",
            approvalBy: agent.clientApprovalBy,
            metadataAt: agent.clientMetadataAt,
          }
        : null,
    /** Set while the tenant's consent is withdrawn: no consent, tokens or allowed decisions. */
    consentWithdrawn: agent.consentWithdrawnAt
      ? { at: agent.consentWithdrawnAt, by: agent.consentWithdrawnBy ?? "", reason: agent.consentWithdrawnReason ?? "" }
      : null,
    owner: agent.owner,
    backupOwner: agent.backupOwner,
    orphaned: !!agent.owner.deactivatedAt && status !== "retired",
    createdAt: agent.createdAt,
    createdByLabel: agent.createdByLabel,
    activatedAt: agent.activatedAt,
    reviewDueAt: agent.reviewDueAt,
    review: status === "retired" ? ("none" as const) : reviewState(agent.reviewDueAt, now),
    history: agent.history.map((h) => ({
      id: String(h.id),
      from: h.fromStatus ? statusFromDb(h.fromStatus) : null,
      to: statusFromDb(h.toStatus),
      actor: h.actorLabel,
      reason: h.reason,
      at: h.at,
    })),
    credentials: agent.credentials.map((c) => ({
      id: c.id,
      type:
        c.type === "CLIENT_SECRET"
          ? ("client_secret" as const)
          : c.type === "JWK"
            ? ("jwk" as const)
            : ("jwks_url" as const),
      label: c.label,
      hint:
        c.secretPrefix ??
        c.jwksUrl ??
        (c.publicJwk as { kid?: string; kty?: string } | null)?.kid ??
        (c.publicJwk as { kty?: string } | null)?.kty ??
        "",
      createdAt: c.createdAt,
      createdBy: c.createdByLabel,
      expiresAt: c.expiresAt,
      lastUsedAt: c.lastUsedAt,
      revokedAt: c.revokedAt,
      revokedReason: c.revokedReason,
      live: !c.revokedAt && (!c.expiresAt || c.expiresAt > now),
    })),
    roles: agent.roles.map((r) => ({
      id: r.role.id,
      name: r.role.name,
      global: r.role.tenantId === null,
      scopes: r.role.scopes.map((s) => s.scope.name),
    })),
    effectiveScopes: [...scopes.values()].sort((a, b) => a.name.localeCompare(b.name)),
    can: agentPermissions(caller, agent),
  };
}
export type AgentDetail = Awaited<ReturnType<typeof getAgentDetail>>;

/**
 * What the caller may do to the agent, as the domain functions decide it (for the page to offer
 * only what will be allowed): its owners renew, suspend, resume, rotate credentials, revoke its
 * tokens and pull its kill switch whatever their role.
 */
export function agentPermissions(
  caller: Caller,
  agent: { tenantId: string; ownerId: string; backupOwnerId: string | null; kind: string },
) {
  const write = can(caller.roles, "agents.write", agent.tenantId);
  const owner = isAgentOwner(caller, agent);
  return {
    write,
    owner,
    renew: write || owner,
    suspend: write || owner,
    credentials: write || owner,
    revokeTokens: can(caller.roles, "grants.revoke", agent.tenantId) || owner,
    consent: can(caller.roles, "grants.revoke", agent.tenantId),
    kill: can(caller.roles, "agents.kill", agent.tenantId) || owner,
    audit: can(caller.roles, "audit.read", agent.tenantId),
    grants: can(caller.roles, "grants.read", agent.tenantId),
  };
}
