import "server-only";
import { type ApprovalStatus, type AttributeValue, flatRecord } from "@/lib/approvals";
import { can } from "@/lib/permissions";
import { listMyAgents } from "@/server/agents/list-agents";
import type { Caller } from "@/server/auth/caller";
import { type ApprovalView, listApprovals } from "@/server/policies/approvals";
import { listTenantMembers } from "@/server/tenants/list-members";

/** One approval request as the page's components get it. */
export interface ApprovalItem {
  id: string;
  status: ApprovalStatus;
  agent: { id: string; name: string };
  action: string;
  resource: { type: string; id: string; attributes: Record<string, AttributeValue> };
  context: Record<string, AttributeValue>;
  policies: string[];
  reason: string;
  /** The user the agent acts for: by name when they are a member here, else by id. */
  onBehalfOf: { name: string; email: string } | { id: string } | null;
  requestedAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionNote: string | null;
  usableUntil: Date | null;
  usedAt: Date | null;
  /** As decideApproval decides: approvals.decide in the tenant, or the agent's (backup) owner. */
  canDecide: boolean;
}

export type ApprovalTab = "pending" | "decided";

const DECIDED = ["approved", "used", "denied", "expired"] as const;
const MEMBER_PAGES = 10;

/**
 * The tenant's pending requests (always: the tab shows their count) and, on the Decided tab,
 * the answered and expired ones, newest answer first. listApprovals decides what the caller sees.
 */
export async function loadApprovals(caller: Caller, tenantId: string, tab: ApprovalTab) {
  const [pending, decided, mine] = await Promise.all([
    listApprovals(caller, { tenant: tenantId, status: "pending" }),
    tab === "decided"
      ? Promise.all(DECIDED.map((status) => listApprovals(caller, { tenant: tenantId, status }))).then((lists) =>
          lists.flat().sort((a, b) => answeredAt(b) - answeredAt(a)),
        )
      : Promise.resolve([]),
    listMyAgents(caller, tenantId),
  ]);
  const shown = tab === "pending" ? pending : decided;
  const decidesAll = can(caller.roles, "approvals.decide", tenantId);
  const owned = new Set(mine.map((a) => a.id));
  const people = await subjects(caller, tenantId, shown);
  const items: ApprovalItem[] = shown.map((a) => {
    const resource = flatRecord(a.resource);
    return {
      id: a.id,
      status: a.status as ApprovalStatus,
      agent: a.agent,
      action: a.action,
      resource: {
        type: String(resource.type ?? ""),
        id: String(resource.id ?? ""),
        attributes: flatRecord((a.resource as { attributes?: unknown } | null)?.attributes),
      },
      context: flatRecord(a.context),
      policies: a.policies,
      reason: a.reason,
      onBehalfOf: a.subjectId ? (people.get(a.subjectId) ?? { id: a.subjectId }) : null,
      requestedAt: a.requestedAt,
      expiresAt: a.expiresAt,
      decidedAt: a.decidedAt,
      decidedBy: a.decidedBy,
      decisionNote: a.decisionNote,
      usableUntil: a.usableUntil,
      usedAt: a.usedAt,
      canDecide: a.status === "pending" && (decidesAll || owned.has(a.agent.id)),
    };
  });
  return { items, pendingCount: pending.length };
}

function answeredAt(a: ApprovalView): number {
  return (a.decidedAt ?? a.expiresAt).getTime();
}

/** Names for the users agents act for, from the tenant's members (a bounded number of pages). */
async function subjects(caller: Caller, tenantId: string, approvals: ApprovalView[]) {
  const wanted = new Set(approvals.map((a) => a.subjectId).filter((id): id is string => !!id));
  const found = new Map<string, { name: string; email: string }>();
  if (!wanted.size || !can(caller.roles, "members.read", tenantId)) return found;
  for (let page = 1; page <= MEMBER_PAGES && found.size < wanted.size; page++) {
    const { rows, total } = await listTenantMembers(caller, tenantId, { page, page_size: 100 });
    for (const m of rows) if (wanted.has(m.userId)) found.set(m.userId, { name: m.name, email: m.email });
    if (page * 100 >= total) break;
  }
  return found;
}
