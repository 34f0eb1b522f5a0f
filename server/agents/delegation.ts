import "server-only";
import { ValidationError } from "@/lib/errors";
import type { Db } from "../db";

// The registry's "may delegate to": who may act on an agent's tokens by token exchange. Stored as
// delegationRestricted + mayDelegateTo; spoken as null (any agent of the tenant) or a list of ids.

/** The columns for a "may delegate to" value, once every id is checked to be an agent of the tenant. */
export async function delegationColumns(db: Db, tenantId: string, ids: string[] | null) {
  if (ids === null) return { delegationRestricted: false, mayDelegateTo: [] };
  const found = ids.length
    ? await db.agent.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true } })
    : [];
  const known = new Set(found.map((a) => a.id));
  // Unknown and another tenant's agents get the same answer, so ids cannot be probed.
  const strangers = ids.filter((id) => !known.has(id));
  if (strangers.length) {
    throw new ValidationError({
      may_delegate_to: [`Not an agent of this tenant: ${strangers.join(", ")}.`],
    });
  }
  return { delegationRestricted: true, mayDelegateTo: ids };
}

/** The "may delegate to" value of an agent row: null for any agent of its tenant. */
export function mayDelegateToOf(agent: { delegationRestricted: boolean; mayDelegateTo: string[] }): string[] | null {
  return agent.delegationRestricted ? agent.mayDelegateTo : null;
}
