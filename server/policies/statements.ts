import "server-only";
import { statement } from "../db/statement";
import { chainIntactSql } from "../oauth/statements";

// The decision's hot statements: the token with everything a decision needs about its holder,
// and the policies that can apply in a tenant. Both read the policy set's version (bumped by a
// trigger in every transaction that changes a policy), so that policy-sets.ts never evaluates a
// set it keeps in memory once it has changed.

export interface DecisionTokenRow {
  kind: string;
  tenant_id: string | null;
  client_id: string;
  subject_id: string | null;
  scopes: string[];
  audience: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  grant_id: string | null;
  grant_revoked_at: Date | null;
  agent_id: string | null;
  agent_name: string | null;
  status: string | null;
  review_due_at: Date | null;
  consent_withdrawn_at: Date | null;
  environment: string | null;
  attributes: unknown;
  agent_tenant_id: string | null;
  tenant_slug: string | null;
  owner_id: string | null;
  owner_email: string | null;
  owner_deactivated_at: Date | null;
  roles: string[] | null;
  depth: number;
  chain_agents: string[] | null;
  chain_intact: boolean;
  /** DPoP (RFC 9449): the key the token is bound to, and whether its agent or tenant requires binding. */
  dpop_jkt: string | null;
  dpop_required: boolean | null;
  policy_set_version: string;
}

/** The token by hash with its grant and agent (owner, tenant, roles), and the policy set's version. */
export const DECISION_TOKEN = statement<DecisionTokenRow>(
  "decision_token",
  `SELECT t.kind::text AS kind, t.tenant_id::text AS tenant_id, t.client_id, t.subject_id::text AS subject_id,
          t.scopes, t.audience, t.expires_at, t.revoked_at, t.grant_id, g.revoked_at AS grant_revoked_at,
          a.id::text AS agent_id, a.name AS agent_name, a.status::text AS status, a.review_due_at,
          a.consent_withdrawn_at, a.environment::text AS environment, a.attributes,
          a.tenant_id::text AS agent_tenant_id, ten.slug AS tenant_slug, u.id::text AS owner_id,
          u.email AS owner_email, u.deactivated_at AS owner_deactivated_at,
          (SELECT array_agg(r.name ORDER BY r.name) FROM role_assignments ra JOIN roles r ON r.id = ra.role_id
            WHERE ra.agent_id = a.id) AS roles,
          t.depth, t.chain_agents, ${chainIntactSql("t", "now()")} AS chain_intact,
          t.payload->>'jkt' AS dpop_jkt, (a.dpop_required OR ten.dpop_required) AS dpop_required,
          (SELECT version::text FROM policy_set_version WHERE id = 1) AS policy_set_version
     FROM tokens t
     LEFT JOIN grants g ON g.id = t.grant_id
     LEFT JOIN agents a ON a.id = t.agent_id
     LEFT JOIN tenants ten ON ten.id = a.tenant_id
     LEFT JOIN users u ON u.id = a.owner_id
    WHERE t.hash = $1`,
);

export interface PolicyRow {
  set_version: string;
  id: string | null;
  version: number;
  name: string;
  text: string;
  effect: string;
  requires_approval: boolean;
  actions: string[];
}

/**
 * The enabled policies that can apply in a tenant (its own and the global ones), with the version
 * of the set they were read at (one row with a null id when there are none).
 */
export const TENANT_POLICIES = statement<PolicyRow>(
  "decision_tenant_policies",
  `SELECT v.version::text AS set_version, p.id::text AS id, p.version, p.name, p.text, p.effect,
          p.requires_approval, p.actions
     FROM policy_set_version v
     LEFT JOIN policies p ON p.enabled AND (p.tenant_id IS NULL OR p.tenant_id = $1::uuid)
    WHERE v.id = 1
    ORDER BY p.id`,
);

/** A tenant named by a resource (its id or its slug: $1 when it is a uuid, else $2). */
export const TENANT_BY_REF = statement<{ id: string }>(
  "decision_tenant_by_ref",
  "SELECT id::text AS id FROM tenants WHERE id = $1::uuid OR slug = $2",
);
