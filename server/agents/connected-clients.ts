import "server-only";
import { createHash } from "node:crypto";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import {
  type ClientApprovalState,
  type ClientSource,
  clientApprovalSchema,
  mcpClientListSchema,
  openScopesSchema,
} from "@/lib/schemas/mcp-clients";
import { isUuid, parseInput } from "@/lib/validation";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { assertCan } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { allowedScopes } from "../catalog/roles";
import { type Db, prisma } from "../db";
import type { ClientApproval, Prisma } from "../db/generated/client";
import { revokeWhere } from "../grants/revoke";
import { payloadKey } from "../oauth/hash";

// MCP clients that identify themselves instead of being registered by an administrator: by a
// Client ID Metadata Document (their client_id is the document's https URL, fetched and checked
// by oidc-provider through the guarded fetcher) or by dynamic registration (RFC 7591, when
// DCR_ENABLED). The first consent in a tenant makes such a client a machine identity there: an
// agent row of kind MCP_CLIENT, owned by the person who let it in, so its grants, tokens,
// decisions, audit and revocation are an agent's. Until a tenant owner or security admin approves
// it, it may only be granted the scopes the tenant opened to unapproved clients; a blocked client
// gets no consent and no tokens there, and what it held is revoked when it is blocked.

/** Fetched client metadata documents, by URL (what the consent page and the console show). */
export const CLIENT_DOCUMENT_MODEL = "ClientDocument";
/** Dynamically registered clients (oidc-provider's Client model). */
export const REGISTERED_CLIENT_MODEL = "Client";
/** Client ids handed out by dynamic registration start with this. */
export const DCR_CLIENT_PREFIX = "dcr-";

export function connectedClientSource(clientId: string): ClientSource | null {
  if (/^https:\/\//i.test(clientId)) return "metadata_document";
  if (clientId.startsWith(DCR_CLIENT_PREFIX)) return "registration";
  return null;
}

export interface ExternalClient {
  clientId: string;
  source: ClientSource;
  metadata: Record<string, unknown>;
  /** When the document was last fetched, or the client registered. */
  at: Date;
  name: string;
}

const APPROVAL_FROM_DB: Record<ClientApproval, ClientApprovalState> = {
  PENDING: "pending",
  APPROVED: "approved",
  BLOCKED: "blocked",
};

export function clientDisplayName(metadata: Record<string, unknown>, clientId: string): string {
  const name = typeof metadata.client_name === "string" ? metadata.client_name.trim() : "";
  if (name) return name.slice(0, 80);
  try {
    return new URL(clientId).host;
  } catch {
    return clientId.slice(0, 80);
  }
}

// Long enough for a person to consent (an interaction lasts 15 minutes); the connected agents
// keep their own snapshots, and the hourly maintenance purges the rest.
const DOCUMENT_KEPT_MS = 86_400_000;

// The last document written from this process, per client, and when: the provider asks on every
// request of a client, and the row is rewritten when the document changed, or hourly (it expires).
const written = new Map<string, { digest: string; at: number }>();
const REWRITE_MS = 3_600_000;

/** Keeps the metadata document oidc-provider fetched and accepted, for the console and consent. */
export async function rememberClientDocument(db: Db, clientId: string, metadata: Record<string, unknown>) {
  const digest = createHash("sha256").update(JSON.stringify(metadata)).digest("base64url");
  const last = written.get(clientId);
  if (last?.digest === digest && Date.now() - last.at < REWRITE_MS) return;
  const key = payloadKey(CLIENT_DOCUMENT_MODEL, clientId);
  const now = new Date();
  const data = {
    model: CLIENT_DOCUMENT_MODEL,
    uid: null,
    grantId: null,
    payload: { metadata, fetched_at: now.toISOString() } as Prisma.InputJsonValue,
    // Kept while the client keeps coming back; the connected agents keep their own snapshots.
    expiresAt: new Date(now.getTime() + DOCUMENT_KEPT_MS),
  };
  await db.oidcPayload.upsert({ where: { key }, create: { key, ...data }, update: data });
  if (written.size > 1000) written.clear();
  written.set(clientId, { digest, at: Date.now() });
}

/** A self-identified client as last seen: its metadata document, or its registration. */
export async function externalClient(db: Db, clientId: string): Promise<ExternalClient | null> {
  const source = connectedClientSource(clientId);
  if (!source) return null;
  const model = source === "metadata_document" ? CLIENT_DOCUMENT_MODEL : REGISTERED_CLIENT_MODEL;
  const row = await db.oidcPayload.findUnique({ where: { key: payloadKey(model, clientId) } });
  if (!row) return null;
  if (row.expiresAt && row.expiresAt <= new Date()) return null;
  const payload = row.payload as Record<string, unknown>;
  const metadata = source === "metadata_document" ? ((payload.metadata ?? {}) as Record<string, unknown>) : payload;
  const at =
    source === "metadata_document"
      ? new Date(String(payload.fetched_at))
      : new Date(Number(payload.client_id_issued_at ?? 0) * 1000);
  return { clientId, source, metadata, at, name: clientDisplayName(metadata, clientId) };
}

type ConnectedAgent = Prisma.AgentGetPayload<object>;

/** The scopes a connected client may be granted in its tenant now (id null: not let in there yet). */
export async function grantableScopes(
  db: Db,
  agent: { id: string | null; tenantId: string; clientApproval: ClientApproval | null },
): Promise<string[]> {
  if (agent.clientApproval === "BLOCKED") return [];
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: agent.tenantId }, select: { mcpOpenScopes: true } });
  const roles = agent.clientApproval === "APPROVED" && agent.id ? await allowedScopes(db, agent.id) : [];
  return [...new Set([...tenant.mcpOpenScopes, ...roles])].sort();
}

/** The client's identity in a tenant, if a person already let it in there. */
export async function connectedAgent(db: Db, tenantId: string, clientId: string): Promise<ConnectedAgent | null> {
  return db.agent.findUnique({ where: { tenantId_oauthClientId: { tenantId, oauthClientId: clientId } } });
}

/**
 * Called in the consent's transaction: the client's identity in the tenant, created on its first
 * consent there (pending approval, active, owned by the person letting it in) and its metadata
 * snapshot refreshed after. A blocked client is refused.
 */
export async function connectClient(
  tx: Db,
  tenantId: string,
  client: ExternalClient,
  person: { id: string; email: string },
): Promise<ConnectedAgent> {
  const snapshot = client.metadata as Prisma.InputJsonValue;
  const redirectUris = Array.isArray(client.metadata.redirect_uris)
    ? client.metadata.redirect_uris.filter((u): u is string => typeof u === "string")
    : [];
  const existing = await connectedAgent(tx, tenantId, client.clientId);
  if (existing) {
    if (existing.clientApproval === "BLOCKED") throw new ForbiddenError("This client is blocked in this tenant.");
    return tx.agent.update({
      where: { id: existing.id },
      data: { clientMetadata: snapshot, clientMetadataAt: client.at, redirectUris },
    });
  }
  const now = new Date();
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { reviewPeriodDays: true } });
  const name = await freeName(tx, tenantId, client);
  const agent = await tx.agent.create({
    data: {
      tenantId,
      name,
      description: `MCP client (${client.source === "metadata_document" ? "client metadata document" : "dynamic registration"}): ${client.clientId}`,
      ownerId: person.id,
      environment: "PRODUCTION",
      status: "ACTIVE",
      activatedAt: now,
      statusChangedAt: now,
      reviewDueAt: new Date(now.getTime() + tenant.reviewPeriodDays * 86_400_000),
      redirectUris,
      kind: "MCP_CLIENT",
      oauthClientId: client.clientId,
      clientSource: client.source,
      clientMetadata: snapshot,
      clientMetadataAt: client.at,
      clientApproval: "PENDING",
      createdById: person.id,
      createdByLabel: person.email,
    },
  });
  await tx.agentStatusChange.create({
    data: {
      agentId: agent.id,
      fromStatus: "PENDING",
      toStatus: "ACTIVE",
      actorType: "user",
      actorId: person.id,
      actorLabel: person.email,
      reason: "Connected by a person's consent",
      at: now,
    },
  });
  await recordAudit(tx, {
    action: "mcp_client.connected",
    outcome: "success",
    actor: { type: "user", id: person.id, label: person.email },
    tenantId,
    target: { type: "agent", id: agent.id },
    data: { client_id: client.clientId, source: client.source, name, approval: "pending" },
  });
  return agent;
}

async function freeName(tx: Db, tenantId: string, client: ExternalClient): Promise<string> {
  const base = client.name;
  const host = (() => {
    try {
      return new URL(client.clientId).host;
    } catch {
      return client.clientId.slice(0, 24);
    }
  })();
  const candidates = [base, `${base} (${host})`, ...Array.from({ length: 20 }, (_, i) => `${base} (${host}) ${i + 2}`)];
  const taken = new Set(
    (await tx.agent.findMany({ where: { tenantId, name: { in: candidates } }, select: { name: true } })).map(
      (a) => a.name,
    ),
  );
  const free = candidates.find((c) => !taken.has(c));
  if (!free) throw new ConflictError("Too many clients share this name in the tenant.");
  return free;
}

export interface ConnectedClientRow {
  id: string;
  name: string;
  clientId: string;
  source: ClientSource;
  approval: ClientApprovalState;
  approvalAt: Date | null;
  approvalBy: string | null;
  owner: { name: string; email: string };
  connectedAt: Date;
  metadataAt: Date | null;
  clientUri: string | null;
  redirectUris: string[];
  liveGrants: number;
}

/** A tenant's connected MCP clients, newest first, with how many live grants each holds. */
export async function listConnectedClients(caller: Caller, tenantId: string, input: unknown = {}) {
  assertCan(caller, "agents.read", tenantId);
  const query = parseInput(mcpClientListSchema, input ?? {});
  const db = await prisma();
  const where: Prisma.AgentWhereInput = {
    tenantId,
    kind: "MCP_CLIENT",
    ...(query.approval ? { clientApproval: query.approval.toUpperCase() as ClientApproval } : {}),
  };
  const now = new Date();
  const [rows, total] = await Promise.all([
    db.agent.findMany({
      where,
      include: {
        owner: { select: { name: true, email: true } },
        _count: {
          select: { grants: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } },
        },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.page_size,
      take: query.page_size,
    }),
    db.agent.count({ where }),
  ]);
  return {
    rows: rows.map((a): ConnectedClientRow => {
      const meta = (a.clientMetadata ?? {}) as Record<string, unknown>;
      return {
        id: a.id,
        name: a.name,
        clientId: a.oauthClientId ?? "",
        source: (a.clientSource ?? "metadata_document") as ClientSource,
        approval: APPROVAL_FROM_DB[a.clientApproval ?? "PENDING"],
        approvalAt: a.clientApprovalAt,
        approvalBy: a.clientApprovalBy,
        owner: a.owner,
        connectedAt: a.createdAt,
        metadataAt: a.clientMetadataAt,
        clientUri: typeof meta.client_uri === "string" ? meta.client_uri : null,
        redirectUris: a.redirectUris,
        liveGrants: a._count.grants,
      };
    }),
    total,
    page: query.page,
    pageSize: query.page_size,
  };
}

/**
 * Approves or blocks a connected client in its tenant (tenant owners, security admins). Blocking
 * revokes every grant and token it holds there, in the same transaction as the change and its
 * audit event; approving lets it be granted its roles' scopes besides the open ones.
 */
export async function setClientApproval(
  caller: Caller,
  agentId: string,
  approval: "approved" | "blocked",
  input: unknown,
) {
  const { reason } = parseInput(clientApprovalSchema, input);
  if (!isUuid(agentId)) throw new NotFoundError("MCP client");
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const agent = await tx.agent.findUnique({ where: { id: agentId } });
    if (agent?.kind !== "MCP_CLIENT" || !can(caller.roles, "agents.read", agent.tenantId)) {
      throw new NotFoundError("MCP client");
    }
    assertCan(caller, "clients.approve", agent.tenantId);
    const to: ClientApproval = approval === "approved" ? "APPROVED" : "BLOCKED";
    if (agent.clientApproval === to) throw new ConflictError(`This client is already ${approval}.`);
    const actor = actorOf(caller);
    const now = new Date();
    const { count } = await tx.agent.updateMany({
      where: { id: agent.id, clientApproval: agent.clientApproval },
      data: { clientApproval: to, clientApprovalAt: now, clientApprovalBy: actor.label },
    });
    if (count === 0) throw new ConflictError("The client changed while you were acting on it. Reload and try again.");
    const revoked =
      to === "BLOCKED"
        ? await revokeWhere(
            tx,
            { grants: { agentId: agent.id }, tokens: { agentId: agent.id } },
            `MCP client blocked: ${reason}`,
          )
        : null;
    await recordAudit(tx, {
      action: to === "BLOCKED" ? "mcp_client.blocked" : "mcp_client.approved",
      outcome: "success",
      actor,
      tenantId: agent.tenantId,
      target: { type: "agent", id: agent.id },
      reason,
      data: {
        client_id: agent.oauthClientId,
        before: { approval: APPROVAL_FROM_DB[agent.clientApproval ?? "PENDING"] },
        after: { approval },
        ...(revoked ? { grants_revoked: revoked.grants, tokens_revoked: revoked.tokens } : {}),
      },
    });
    return {
      id: agent.id,
      approval,
      ...(revoked ? { grantsRevoked: revoked.grants, tokensRevoked: revoked.tokens } : {}),
    };
  });
}

/** The scopes a tenant opens to clients it has not approved yet. */
export async function getOpenScopes(caller: Caller, tenantId: string) {
  assertCan(caller, "settings.read", tenantId);
  const tenant = await (await prisma()).tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { mcpOpenScopes: true },
  });
  return { scopes: tenant.mcpOpenScopes };
}

/** Sets them: names from the tenant's catalog only; audited with before and after. */
export async function setOpenScopes(caller: Caller, tenantId: string, input: unknown) {
  const { scopes } = parseInput(openScopesSchema, input);
  assertCan(caller, "settings.write", tenantId);
  const wanted = [...new Set(scopes)].sort();
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const known = await tx.scope.findMany({
      where: { name: { in: wanted }, OR: [{ tenantId: null }, { tenantId }] },
      select: { name: true },
    });
    const names = new Set(known.map((s) => s.name));
    const unknown = wanted.filter((s) => !names.has(s));
    if (unknown.length) throw new ValidationError({ scopes: [`Not in this tenant's catalog: ${unknown.join(", ")}.`] });
    const before = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { mcpOpenScopes: true } });
    await tx.tenant.update({ where: { id: tenantId }, data: { mcpOpenScopes: wanted } });
    await recordAudit(tx, {
      action: "tenant.settings.update",
      outcome: "success",
      actor: actorOf(caller),
      tenantId,
      target: { type: "tenant", id: tenantId },
      data: { before: { mcp_open_scopes: before.mcpOpenScopes }, after: { mcp_open_scopes: wanted } },
    });
    return { scopes: wanted };
  });
}
