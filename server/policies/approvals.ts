import "server-only";
import { env } from "@/lib/env";
import { ConflictError, ForbiddenError, InvalidTokenError, NotFoundError, UseDpopNonceError } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { approvalListSchema, decideApprovalSchema } from "@/lib/schemas/policies";
import { isUuid, parseInput } from "@/lib/validation";
import { isAgentOwner } from "../agents/agent-access";
import { recordAudit } from "../audit/record";
import { actorOf } from "../auth/actor";
import { reach } from "../auth/authorize";
import { BEARER_KINDS } from "../auth/bearer";
import type { Caller } from "../auth/caller";
import { prisma } from "../db";
import type { ApprovalStatus, Prisma } from "../db/generated/client";
import { type DpopPresentation, dpopRefusal } from "../oauth/dpop";
import { hashToken } from "../oauth/hash";
import { liveTokenWhere } from "../oauth/token-store";
import { tenantForInput } from "../tenants/resolve-tenant";
import { APPROVAL_USABLE_MINUTES } from "./decide";

// Approval requests: a permit marked @needs_approval opens one; the agent's owner (or backup
// owner), a tenant owner or a security admin approves or denies it; an approval allows the same
// request once, for a few minutes (server/policies/decide.ts uses it).

const agentSelect = { select: { id: true, name: true, ownerId: true, backupOwnerId: true, kind: true } } as const;

function view(row: Prisma.ApprovalRequestGetPayload<{ include: { agent: typeof agentSelect } }>, now = new Date()) {
  // A request nobody answered in time, and an approval nobody used in time, have both expired.
  const expired =
    (row.status === "PENDING" && row.expiresAt <= now) ||
    (row.status === "APPROVED" && !!row.usableUntil && row.usableUntil <= now);
  return {
    id: row.id,
    status: (expired ? "EXPIRED" : row.status).toLowerCase(),
    tenantId: row.tenantId,
    agent: { id: row.agent.id, name: row.agent.name },
    subjectId: row.subjectId,
    action: row.action,
    resource: row.resource,
    context: row.context,
    policies: row.policies,
    reason: row.reason,
    requestedAt: row.requestedAt,
    expiresAt: row.expiresAt,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedByLabel,
    decisionNote: row.decisionNote,
    usableUntil: row.usableUntil,
    usedAt: row.usedAt,
  };
}
export type ApprovalView = ReturnType<typeof view>;

/**
 * The requests the caller may read: every one in the tenants where they read approvals (all of
 * them for a role held everywhere), and their own agents' requests whatever their role.
 * Regression: a role held everywhere became `{}` inside an OR, which Prisma drops, so security
 * admins and installation-wide auditors saw only their own agents' requests.
 */
function visibleApprovals(caller: Caller): Prisma.ApprovalRequestWhereInput {
  const tenants = reach(caller, "approvals.read");
  if (tenants === "all") return {};
  const scope: Prisma.ApprovalRequestWhereInput = { tenantId: { in: tenants } };
  if (caller.type !== "user") return scope;
  // Not a connected MCP client's: the person who let it in has no owner's rights over it.
  return {
    OR: [scope, { agent: { kind: "AGENT", OR: [{ ownerId: caller.id }, { backupOwnerId: caller.id }] } }],
  };
}

export async function listApprovals(caller: Caller, input: unknown = {}) {
  const query = approvalListSchema.parse(input ?? {});
  const db = await prisma();
  const and: Prisma.ApprovalRequestWhereInput[] = [visibleApprovals(caller)];
  if (query.tenant) and.push({ tenantId: (await tenantForInput(db, caller, query.tenant, "tenant.read")).id });
  if (query.agent) and.push({ agentId: query.agent });
  const now = new Date();
  if (query.status === "expired") and.push({ status: "PENDING", expiresAt: { lte: now } });
  else if (query.status === "pending") and.push({ status: "PENDING", expiresAt: { gt: now } });
  else if (query.status) and.push({ status: query.status.toUpperCase() as ApprovalStatus });
  const rows = await db.approvalRequest.findMany({
    where: { AND: and },
    include: { agent: agentSelect },
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
    take: 200,
  });
  return rows.map((r) => view(r, now));
}

function mayRead(
  caller: Caller,
  row: { tenantId: string; agent: { ownerId: string; backupOwnerId: string | null; kind: string } },
) {
  return can(caller.roles, "approvals.read", row.tenantId) || isAgentOwner(caller, row.agent);
}

function mayDecide(
  caller: Caller,
  row: { tenantId: string; agent: { ownerId: string; backupOwnerId: string | null; kind: string } },
) {
  return can(caller.roles, "approvals.decide", row.tenantId) || isAgentOwner(caller, row.agent);
}

export async function getApproval(caller: Caller, id: string): Promise<ApprovalView> {
  if (!isUuid(id)) throw new NotFoundError("approval request");
  const row = await (await prisma()).approvalRequest.findUnique({ where: { id }, include: { agent: agentSelect } });
  if (!row || !mayRead(caller, row)) throw new NotFoundError("approval request");
  return view(row);
}

/** The agent polling its own request, with its bearer token (live, the agent's own). */
export async function getApprovalForAgent(
  bearerToken: string,
  id: string,
  presented: DpopPresentation = { scheme: "bearer", proof: null },
): Promise<ApprovalView | null> {
  if (!isUuid(id)) throw new NotFoundError("approval request");
  const db = await prisma();
  const token = await db.token.findFirst({
    where: {
      hash: hashToken(bearerToken),
      kind: { in: [...BEARER_KINDS] },
      agentId: { not: null },
      ...liveTokenWhere(new Date()),
    },
    select: {
      agentId: true,
      payload: true,
      agent: { select: { dpopRequired: true, tenant: { select: { dpopRequired: true } } } },
    },
  });
  if (token) {
    // A DPoP-bound token (RFC 9449) polls with a proof by its key for this GET, as it decides.
    const jkt = (token.payload as { jkt?: string } | null)?.jkt ?? null;
    const url = `${env().publicUrl}/api/v1/approvals/${id}`;
    const required = !!token.agent && (token.agent.dpopRequired || token.agent.tenant.dpopRequired);
    const refusal = await dpopRefusal(bearerToken, presented, { jkt, required }, { method: "GET", url }, db);
    if (refusal?.nonce) throw new UseDpopNonceError(refusal.reason, refusal.nonce);
    if (refusal) throw new InvalidTokenError(refusal.reason);
  }
  if (!token) return null;
  const row = await db.approvalRequest.findUnique({ where: { id }, include: { agent: agentSelect } });
  if (!row || row.agentId !== token.agentId) throw new NotFoundError("approval request");
  return view(row);
}

export async function decideApproval(caller: Caller, id: string, approve: boolean, input: unknown = {}) {
  const { note } = parseInput(decideApprovalSchema, input ?? {});
  if (!isUuid(id)) throw new NotFoundError("approval request");
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const row = await tx.approvalRequest.findUnique({ where: { id }, include: { agent: agentSelect } });
    if (!row || !mayRead(caller, row)) throw new NotFoundError("approval request");
    if (!mayDecide(caller, row))
      throw new ForbiddenError("Only the agent's owner, a tenant owner or a security admin decides.");
    const now = new Date();
    if (row.status !== "PENDING" || row.expiresAt <= now) {
      throw new ConflictError(`This request is already ${view(row, now).status}.`);
    }
    const actor = actorOf(caller);
    const changed = await tx.approvalRequest.updateMany({
      where: { id, status: "PENDING" },
      data: {
        status: approve ? "APPROVED" : "DENIED",
        decidedAt: now,
        decidedById: actor.id,
        decidedByLabel: actor.label,
        decisionNote: note || null,
        usableUntil: approve ? new Date(now.getTime() + APPROVAL_USABLE_MINUTES * 60_000) : null,
      },
    });
    if (changed.count !== 1) throw new ConflictError("Someone else decided this request first.");
    await recordAudit(tx, {
      action: approve ? "approval.approve" : "approval.deny",
      outcome: "success",
      actor,
      tenantId: row.tenantId,
      target: { type: "approval", id },
      reason: note || null,
      data: { agent: row.agentId, action: row.action, resource: row.resource as Prisma.InputJsonValue },
    });
    const updated = await tx.approvalRequest.findUniqueOrThrow({ where: { id }, include: { agent: agentSelect } });
    return view(updated, now);
  });
}

/** Pending requests the caller may answer or read in a tenant: the sidebar's count. */
export async function countPendingApprovals(caller: Caller, tenantId: string): Promise<number> {
  return (await prisma()).approvalRequest.count({
    where: { AND: [visibleApprovals(caller), { tenantId, status: "PENDING", expiresAt: { gt: new Date() } }] },
  });
}
