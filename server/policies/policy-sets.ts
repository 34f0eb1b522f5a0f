import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "../db";
import { runStatement } from "../db/statement";
import { isPrepared, preparePolicySet } from "./cedar";
import { TENANT_POLICIES } from "./statements";

// The policies a decision evaluates, kept in memory per tenant and action: read once per version
// of the policy set, parsed by Cedar once per distinct set. The version is bumped by a trigger in
// the transaction of every policy change, and each decision reads it in the statement that reads
// its token: a decision that sees a newer version than the one kept here drops what is kept and
// reads the policies again, so no process (of however many) evaluates a set after it changed.
// Only policies are kept: tokens, grants and agents are read on every decision.

export interface Candidate {
  id: string;
  version: number;
  name: string;
  effect: string;
  requiresApproval: boolean;
}

export interface CandidateSet {
  /** Cedar's id for the parsed set: a hash of its policies' ids and versions. */
  key: string;
  candidates: Candidate[];
}

interface TenantPolicies {
  policies: (Candidate & { text: string; actions: string[] })[];
  byAction: Map<string, CandidateSet>;
}

/** Tenants kept at most; past that the memory is dropped and refilled as decisions come. */
const MAX_TENANTS = 1_000;

let kept: { version: bigint; tenants: Map<string, TenantPolicies> } = { version: -1n, tenants: new Map() };

/**
 * The policies that can decide `action` in `tenantId` (enabled, global or the tenant's, naming the
 * action or any), parsed and ready: as of `setVersion` (read with the token) or later.
 */
export async function candidatesFor(
  db: Db,
  setVersion: string,
  tenantId: string,
  action: string,
): Promise<CandidateSet> {
  const version = BigInt(setVersion);
  if (version > kept.version) kept = { version, tenants: new Map() };
  let tenant = version === kept.version ? kept.tenants.get(tenantId) : undefined;
  if (!tenant) tenant = await load(db, tenantId);
  let set = tenant.byAction.get(action);
  if (!set) {
    const candidates = tenant.policies.filter((p) => !p.actions.length || p.actions.includes(action));
    const key = createHash("sha256")
      .update(candidates.map((p) => `${p.id}:${p.version}`).join(","))
      .digest("base64url");
    if (candidates.length && !isPrepared(key)) {
      preparePolicySet(key, Object.fromEntries(candidates.map((p) => [p.id, p.text])));
    }
    set = {
      key,
      candidates: candidates.map(({ id, version, name, effect, requiresApproval }) => ({
        id,
        version,
        name,
        effect,
        requiresApproval,
      })),
    };
    tenant.byAction.set(action, set);
  }
  return set;
}

/** Reads a tenant's policies, keeping them if they are of the newest version seen. */
async function load(db: Db, tenantId: string): Promise<TenantPolicies> {
  const rows = await runStatement(TENANT_POLICIES, [tenantId], db);
  const loaded: TenantPolicies = {
    policies: rows
      .filter((r) => r.id !== null)
      .map((r) => ({
        id: r.id as string,
        version: r.version,
        name: r.name,
        text: r.text,
        effect: r.effect,
        requiresApproval: r.requires_approval,
        actions: r.actions,
      })),
    byAction: new Map(),
  };
  const version = BigInt(rows[0]?.set_version ?? "0");
  if (version > kept.version) kept = { version, tenants: new Map() };
  if (version === kept.version) {
    if (kept.tenants.size >= MAX_TENANTS) kept.tenants.clear();
    kept.tenants.set(tenantId, loaded);
  }
  return loaded;
}
