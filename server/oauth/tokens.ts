import "server-only";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";
import { can, canGlobally } from "@/lib/permissions";
import type { OffsetPage } from "@/lib/schemas/pagination";
import { reasonBodySchema } from "@/lib/schemas/reason";
import { type TokenListQuery, tokenListSchema } from "@/lib/schemas/tokens";
import { isUuid, parseInput } from "@/lib/validation";
import { agentFor, isAgentOwner } from "../agents/agent-access";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { tenantWhere } from "../auth/authorize";
import type { Caller } from "../auth/caller";
import { type Db, prisma } from "../db";
import type { Prisma, TokenKind } from "../db/generated/client";
import { tenantForInput } from "../tenants/resolve-tenant";
import { liveBelow, revokeBelowTokens } from "./chain";
import { liveTokenWhere } from "./token-store";

// Tokens as the console and the admin API see them: never their values (those are not stored),
// only what they carry and whether they are still live.

const KIND: Record<TokenKind, string> = {
  ACCESS_TOKEN: "access_token",
  CLIENT_CREDENTIALS: "access_token",
  REFRESH_TOKEN: "refresh_token",
  AUTHORIZATION_CODE: "authorization_code",
};

export interface TokenRow {
  id: string;
  kind: string;
  grantType: "client_credentials" | "delegated";
  clientId: string;
  agent: { id: string; name: string } | null;
  tenantId: string | null;
  subject: { id: string; email: string; name: string } | null;
  grantId: string | null;
  scopes: string[];
  audience: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  live: boolean;
  /** The token it was exchanged from (RFC 8693), and how many exchanges deep it is (0: not exchanged). */
  parentId: string | null;
  depth: number;
  /** Whether any token was exchanged from it (live or not): its chain is worth showing. */
  hasBelow: boolean;
}

const include = {
  agent: { select: { id: true, name: true, status: true, reviewDueAt: true } },
  grant: { select: { revokedAt: true, user: { select: { id: true, email: true, name: true } } } },
} satisfies Prisma.TokenInclude;
type Row = Prisma.TokenGetPayload<{ include: typeof include }>;

function toRow(row: Row, now: Date, parents: ReadonlySet<string> = new Set()): TokenRow {
  const agentLive =
    !row.agent || (row.agent.status === "ACTIVE" && (!row.agent.reviewDueAt || row.agent.reviewDueAt > now));
  return {
    id: row.id,
    kind: KIND[row.kind],
    grantType: row.kind === "CLIENT_CREDENTIALS" ? "client_credentials" : "delegated",
    clientId: row.clientId,
    agent: row.agent ? { id: row.agent.id, name: row.agent.name } : null,
    tenantId: row.tenantId,
    subject: row.grant?.user ?? null,
    grantId: row.grantId,
    scopes: row.scopes,
    audience: row.audience,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedReason: row.revokedReason,
    live: !row.revokedAt && row.expiresAt > now && !row.grant?.revokedAt && agentLive,
    parentId: row.parentId,
    depth: row.depth,
    hasBelow: parents.has(row.id),
  };
}

/** Which of these tokens something was exchanged from: one indexed look-up for a page. */
async function exchangedFrom(db: Db, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const children = await db.token.findMany({
    where: { parentId: { in: ids } },
    select: { parentId: true },
    distinct: ["parentId"],
  });
  return new Set(children.map((c) => c.parentId as string));
}

/**
 * Tokens of the tenants the caller may read agents in (access and refresh tokens; codes are
 * spent within a minute and not listed). Live only by default.
 */
export async function listTokens(
  caller: Caller,
  input: unknown,
): Promise<OffsetPage<TokenRow> & { query: TokenListQuery }> {
  const query = tokenListSchema.parse(input ?? {});
  const now = new Date();
  const where: Prisma.TokenWhereInput = { kind: { not: "AUTHORIZATION_CODE" }, ...tenantWhere(caller, "agents.read") };
  const and: Prisma.TokenWhereInput[] = [];
  const db = await prisma();
  if (query.tenant) and.push({ tenantId: (await tenantForInput(db, caller, query.tenant, "agents.read")).id });
  if (query.agent) and.push({ agentId: query.agent });
  if (query.subject) and.push({ subjectId: query.subject });
  if (query.grant) and.push({ grantId: query.grant });
  if (query.kind)
    and.push({
      kind: query.kind === "refresh_token" ? "REFRESH_TOKEN" : { in: ["ACCESS_TOKEN", "CLIENT_CREDENTIALS"] },
    });
  if (query.status === "live") and.push(liveTokenWhere(now));
  if (and.length) where.AND = and;
  const [rows, total] = await Promise.all([
    db.token.findMany({
      where,
      include,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.page_size,
      take: query.page_size,
    }),
    db.token.count({ where }),
  ]);
  const parents = await exchangedFrom(
    db,
    rows.map((r) => r.id),
  );
  return {
    rows: rows.map((r) => toRow(r, now, parents)),
    total,
    page: query.page,
    pageSize: query.page_size,
    sort: "created_at",
    dir: "desc",
    query,
  };
}

/** The agent page's tokens tab: the agent's live tokens, newest first. */
export async function listAgentTokens(caller: Caller, agentId: string, input: unknown = {}) {
  const db = await prisma();
  const agent = await agentFor(db, caller, agentId, "agents.read", { owners: true });
  return listTokens(caller, { status: "live", ...(input as object), tenant: agent.tenantId, agent: agent.id });
}

export async function getToken(caller: Caller, tokenId: string): Promise<TokenRow> {
  if (!isUuid(tokenId)) throw new NotFoundError("token");
  const db = await prisma();
  const row = await db.token.findUnique({ where: { id: tokenId }, include });
  if (!row || row.kind === "AUTHORIZATION_CODE" || !readable(caller, row)) throw new NotFoundError("token");
  return toRow(row, new Date(), await exchangedFrom(db, [row.id]));
}

export type ChainStatus = "live" | "revoked" | "expired" | "inactive";

/** One token of a delegation chain, as the chain view draws it. */
export interface ChainNode {
  id: string;
  parentId: string | null;
  depth: number;
  agent: { id: string; name: string } | null;
  scopes: string[];
  audience: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** inactive: unrevoked and unexpired, but its agent, grant or chain no longer lets it be used. */
  status: ChainStatus;
  revokedReason: string | null;
  /** Whether the caller may revoke it (the tenant's grants.revoke, or owning its agent). */
  canRevoke: boolean;
}

export interface TokenChain {
  /** The token asked about; the nodes are its ancestors (origin first), it, then what is below it. */
  tokenId: string;
  nodes: ChainNode[];
  /** More tokens were exchanged below it than a chain view lists (CHAIN_BELOW_LIMIT). */
  truncated: boolean;
}

/** How many tokens below one a chain lists; the revocation impact still counts them all. */
export const CHAIN_BELOW_LIMIT = 200;

const chainInclude = {
  agent: {
    select: { id: true, name: true, status: true, reviewDueAt: true, ownerId: true, backupOwnerId: true, kind: true },
  },
  grant: { select: { revokedAt: true, user: { select: { id: true, email: true, name: true } } } },
} satisfies Prisma.TokenInclude;
type ChainRow = Prisma.TokenGetPayload<{ include: typeof chainInclude }>;

/**
 * A token's delegation chain (RFC 8693): the tokens above it, origin first, then it and every token
 * exchanged from it, transitively, each placed after the token it came from. Only the token's own
 * tenant is read, with the same check as getToken: another tenant's token is not found.
 */
export async function getTokenChain(caller: Caller, tokenId: string): Promise<TokenChain> {
  if (!isUuid(tokenId)) throw new NotFoundError("token");
  const db = await prisma();
  const row = await db.token.findUnique({ where: { id: tokenId }, include: chainInclude });
  if (!row || row.kind === "AUTHORIZATION_CODE" || !readable(caller, row)) throw new NotFoundError("token");
  const [above, below] = await Promise.all([
    row.ancestors.length
      ? db.token.findMany({ where: { id: { in: row.ancestors }, tenantId: row.tenantId }, include: chainInclude })
      : [],
    db.token.findMany({
      where: { ancestors: { has: row.id }, tenantId: row.tenantId, kind: { not: "AUTHORIZATION_CODE" } },
      include: chainInclude,
      orderBy: [{ depth: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      take: CHAIN_BELOW_LIMIT + 1,
    }),
  ]);
  const truncated = below.length > CHAIN_BELOW_LIMIT;
  if (truncated) below.pop();
  const now = new Date();
  const byId = new Map(above.map((t) => [t.id, t]));
  const origin = row.ancestors.flatMap((id) => byId.get(id) ?? []);
  // Depth-first below the token, so that each branch reads top to bottom.
  const children = new Map<string, ChainRow[]>();
  for (const t of below) children.set(t.parentId ?? "", [...(children.get(t.parentId ?? "") ?? []), t]);
  const ordered: ChainRow[] = [];
  const visit = (t: ChainRow) => {
    ordered.push(t);
    for (const child of children.get(t.id) ?? []) visit(child);
  };
  visit(row);
  return { tokenId: row.id, nodes: [...origin, ...ordered].map((t) => toNode(caller, t, now)), truncated };
}

function toNode(caller: Caller, t: ChainRow, now: Date): ChainNode {
  const { live } = toRow(t, now);
  return {
    id: t.id,
    parentId: t.parentId,
    depth: t.depth,
    agent: t.agent ? { id: t.agent.id, name: t.agent.name } : null,
    scopes: t.scopes,
    audience: t.audience,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    status: t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : live ? "live" : "inactive",
    revokedReason: t.revokedReason,
    canRevoke: mayRevoke(caller, t),
  };
}

/** What revoking a token would revoke below it, counted now (the revocation counts again when it runs). */
export async function previewTokenRevocation(
  caller: Caller,
  tokenId: string,
): Promise<{ tokens: number; people: number }> {
  const token = await getToken(caller, tokenId);
  const below = await liveBelow(await prisma(), [token.id], null);
  const people = new Set(below.flatMap((t) => t.subject_id ?? []));
  if (token.subject) people.add(token.subject.id);
  return { tokens: below.length, people: people.size };
}

function readable(caller: Caller, row: { tenantId: string | null }): boolean {
  // Tokens of no tenant are automation clients', which those who manage them see.
  return row.tenantId ? can(caller.roles, "agents.read", row.tenantId) : canGlobally(caller.roles, "users.manage");
}

function mayRevoke(
  caller: Caller,
  row: { tenantId: string | null; agent: { ownerId: string; backupOwnerId: string | null; kind: string } | null },
): boolean {
  if (row.agent && isAgentOwner(caller, row.agent)) return true;
  return row.tenantId ? can(caller.roles, "grants.revoke", row.tenantId) : canGlobally(caller.roles, "users.manage");
}

/**
 * Revokes one token at once: the next introspection or API call with it fails. Security admins and
 * tenant owners (grants.revoke) may revoke any token in their tenants; an agent's owner its tokens.
 */
export async function revokeToken(caller: Caller, tokenId: string, input: unknown): Promise<TokenRow> {
  const { reason } = parseInput(reasonBodySchema, input);
  if (!isUuid(tokenId)) throw new NotFoundError("token");
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const row = await tx.token.findUnique({
      where: { id: tokenId },
      include: {
        ...include,
        agent: { select: { ...include.agent.select, ownerId: true, backupOwnerId: true, kind: true } },
      },
    });
    if (!row || row.kind === "AUTHORIZATION_CODE" || !readable(caller, row)) throw new NotFoundError("token");
    if (!mayRevoke(caller, row)) throw new ForbiddenError();
    if (row.revokedAt) throw new ConflictError("This token is already revoked.");
    const now = new Date();
    const updated = await tx.token.update({
      where: { id: row.id },
      data: { revokedAt: now, revokedReason: reason },
      include,
    });
    // Every token exchanged from it goes with it (chain.ts), before the audit event.
    const downstream = await revokeBelowTokens(tx, [row.id], reason, now);
    await recordAudit(tx, {
      action: "oauth.token.revoked",
      outcome: "success",
      actor: actorOf(caller),
      tenantId: row.tenantId,
      target: { type: "token", id: row.id },
      reason,
      data: {
        kind: row.kind,
        agent: row.agentId,
        subject: row.subjectId,
        grant: row.grantId,
        downstream_tokens_revoked: downstream,
      },
    });
    return toRow(updated, now, await exchangedFrom(tx, [row.id]));
  });
}
