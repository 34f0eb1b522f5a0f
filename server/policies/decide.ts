import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { env } from "@/lib/env";
import { InvalidTokenError, TooManyRequestsError } from "@/lib/errors";
import { type DecisionRequest, decisionRequestSchema } from "@/lib/schemas/decisions";
import { isUuid, parseInput } from "@/lib/validation";
import { type RequestMeta, recordAudit } from "../audit/record";
import { type Db, prisma } from "../db";
import { runStatement } from "../db/statement";
import { touchGrant } from "../grants/usage";
import { type DpopPresentation, dpopRefusal, relayedDpopRefusal } from "../oauth/dpop";
import { hashToken } from "../oauth/hash";
import { apiResource } from "../oauth/resource";
import { checkLimit, type LimitKind } from "../ratelimit/limiter";
import { authorize, type EntityJson } from "./cedar";
import { candidatesFor } from "./policy-sets";
import { DECISION_TOKEN, TENANT_BY_REF } from "./statements";

// POST /api/v1/decisions: may this agent do this now? Deny by default: no answer but allow
// without a live token of an active agent, an action inside the token's scopes, and a Cedar
// policy that permits (forbid wins). Every answer is recorded before it is returned.

export type Decision = "allow" | "deny" | "needs_approval";

/** Why, for machines: the SDK and agents branch on this, people read `reason`. */
export type DecisionCode =
  | "token_unknown"
  | "token_revoked"
  | "token_expired"
  | "token_audience"
  | "grant_revoked"
  | "chain_revoked"
  | "not_an_agent"
  | "agent_inactive"
  | "agent_review_overdue"
  | "consent_withdrawn"
  | "action_not_in_scopes"
  | "forbidden_by_policy"
  | "no_permitting_policy"
  | "policy_error"
  | "permitted"
  | "approval_required"
  | "approved_once"
  | "dpop_required"
  | "dpop_invalid"
  | "use_dpop_nonce";

export interface DecisionAnswer {
  decision: Decision;
  code: DecisionCode;
  reason: string;
  policies: string[];
  decision_id: string;
  approval_id?: string;
  /** RFC 9449 §9: the nonce to put in the next proof (also sent as the DPoP-Nonce header). */
  dpop_nonce?: string;
}

/** How long an approved request stays usable, and how long a request waits for an answer. */
export const APPROVAL_USABLE_MINUTES = 15;
export const APPROVAL_PENDING_HOURS = 24;

/** Stable JSON: keys sorted, so equal requests hash equally. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export function requestHash(agentId: string, request: DecisionRequest): string {
  return createHash("sha256")
    .update(canonical({ agent: agentId, action: request.action, resource: request.resource, context: request.context }))
    .digest("hex");
}

const entity = (type: string, id: string) => ({ __entity: { type, id } });

const DECISIONS_PATH = "/api/v1/decisions";

/** Throws a 429 (with its wait) when the request is over a limit; the trip is recorded once. */
async function limited(kind: LimitKind, subject: string | undefined, audit: Parameters<typeof checkLimit>[2]) {
  if (!subject) return;
  const wait = await checkLimit(kind, subject, audit);
  if (wait) {
    throw new TooManyRequestsError(`Rate limit reached: try again in ${wait} second${wait === 1 ? "" : "s"}.`, wait);
  }
}

/**
 * A decision for the agent holding `value`, its access token, presented as `presented` says
 * (Bearer, or DPoP with a proof: a DPoP-bound token is checked by server/oauth/dpop.ts).
 */
export async function decide(
  value: string | null,
  input: unknown,
  meta: RequestMeta = {},
  presented: DpopPresentation = { scheme: "bearer", proof: null },
): Promise<DecisionAnswer> {
  if (!value) throw new InvalidTokenError("Send the agent's access token: Authorization: Bearer <token>.");
  const request = parseInput(decisionRequestSchema, input);
  // Rate limits: per source address before anything is read, per agent once it is known.
  await limited("address", meta.ip, { path: DECISIONS_PATH });
  const db = await prisma();
  const now = new Date();
  const token = await loadToken(db, hashToken(value));
  if (token?.agent) {
    await limited("decisions", token.agent.id, {
      path: DECISIONS_PATH,
      tenantId: token.agent.tenantId,
      actor: { type: "agent", id: token.agent.id, label: token.agent.name },
    });
  }

  const answer = async (
    decision: Decision,
    code: DecisionCode,
    reason: string,
    extra: { policies?: string[]; approvalId?: string; db?: Db } = {},
  ): Promise<DecisionAnswer> => {
    const id = randomUUID();
    await recordAudit(extra.db ?? db, {
      action: "decision.evaluate",
      outcome: decision === "allow" ? "success" : "denied",
      actor: token?.agent
        ? { type: "agent", id: token.agent.id, label: token.agent.name }
        : { type: "anonymous", label: token ? token.clientId : "unknown token" },
      tenantId: token?.tenantId ?? null,
      onBehalfOf: token?.subjectId ?? null,
      target: { type: "decision", id },
      reason,
      data: {
        decision,
        code,
        action: request.action,
        resource: request.resource,
        context: request.context,
        policies: extra.policies ?? [],
        approval: extra.approvalId ?? null,
        on_behalf_of: token?.subjectId ?? null,
        // For an exchanged token, the delegation chain it was decided through.
        ...(token?.depth ? { chain: token.chain, depth: token.depth } : {}),
        // The resource server the token is for: Mandate's API, or one relaying it (an MCP server).
        ...(token ? { audience: token.audience } : {}),
      },
      meta,
    });
    return {
      decision,
      code,
      reason,
      policies: extra.policies ?? [],
      decision_id: id,
      ...(extra.approvalId ? { approval_id: extra.approvalId } : {}),
    };
  };

  if (!token || (token.kind !== "ACCESS_TOKEN" && token.kind !== "CLIENT_CREDENTIALS")) {
    return answer("deny", "token_unknown", "The access token is unknown.");
  }
  // RFC 9449: a bound token only with a proof by its key for this request; binding where required.
  // A token for another audience is relayed by the resource server it was sent to (an MCP server
  // asking before a tool call): a bound one comes with its caller's proof to that server, forwarded.
  const { publicUrl } = env();
  const dpop =
    token.audience && token.audience !== apiResource(publicUrl)
      ? await relayedDpopRefusal(value, presented, token.dpop, token.audience, db)
      : await dpopRefusal(value, presented, token.dpop, { method: "POST", url: `${publicUrl}${DECISIONS_PATH}` }, db);
  if (dpop) {
    const refused = await answer("deny", dpop.code, dpop.reason);
    return dpop.nonce ? { ...refused, dpop_nonce: dpop.nonce } : refused;
  }
  if (token.revokedAt) return answer("deny", "token_revoked", "The access token has been revoked.");
  if (token.expiresAt <= now) return answer("deny", "token_expired", "The access token has expired.");
  // Any audience (RFC 8707): Mandate's API, or a resource server relaying the token it was sent (an
  // MCP server asking before each tool call). Policies see which as context.audience.
  if (!token.audience) return answer("deny", "token_audience", "The access token names no audience.");
  if (token.grant?.revokedAt) {
    return answer("deny", "grant_revoked", "The user's grant behind this token has been revoked.");
  }
  if (!token.chainIntact) {
    return answer("deny", "chain_revoked", "A token or agent above this one in its delegation chain was revoked.");
  }
  if (token.grant) await touchGrant(db, token.grant.id, now.getTime());
  const agent = token.agent;
  if (!agent) return answer("deny", "not_an_agent", "Only agents' tokens can ask for decisions.");
  if (agent.status !== "ACTIVE") return answer("deny", "agent_inactive", `The agent is ${agent.status.toLowerCase()}.`);
  if (agent.reviewDueAt && agent.reviewDueAt <= now)
    return answer("deny", "agent_review_overdue", "The agent is past its review date.");
  if (agent.consentWithdrawnAt) {
    return answer("deny", "consent_withdrawn", "The tenant has withdrawn its consent from this agent.");
  }
  if (!token.scopes.includes(request.action)) {
    return answer("deny", "action_not_in_scopes", `The action ${request.action} is not among the token's scopes.`);
  }

  // The policies that can apply: enabled, global or the agent's tenant's, naming this action or any,
  // as of the policy set's version read with the token (policy-sets.ts).
  const { key, candidates } = await candidatesFor(db, token.policySetVersion, agent.tenantId, request.action);
  if (!candidates.length)
    return answer("deny", "no_permitting_policy", "No policy permits this action (deny by default).");

  const entities = await entitiesFor(db, agent, request, token.subjectId);
  const result = authorize({
    principal: { type: "Agent", id: agent.id },
    action: { type: "Action", id: request.action },
    resource: { type: request.resource.type, id: request.resource.id },
    context: contextFor(request, now, meta.ip, token.subjectId, {
      chain: token.chain,
      depth: token.depth,
      audience: token.audience,
    }),
    preparsedPolicySetId: key,
    validateRequest: false,
    entities,
  });
  if (result.type === "failure") {
    return answer(
      "deny",
      "policy_error",
      `The policies could not be evaluated: ${result.errors[0]?.message ?? "unknown error"}.`,
    );
  }
  const byId = new Map(candidates.map((p) => [p.id, p]));
  const deciding = result.response.diagnostics.reason.map((id) => byId.get(id)).filter((p) => !!p);
  const names = deciding.map((p) => p.name);
  if (result.response.decision === "deny") {
    return deciding.length
      ? answer("deny", "forbidden_by_policy", `Forbidden by policy ${names.map((n) => `"${n}"`).join(", ")}.`, {
          policies: names,
        })
      : answer("deny", "no_permitting_policy", "No policy permits this action (deny by default).");
  }
  if (deciding.some((p) => !p.requiresApproval)) {
    return answer("allow", "permitted", `Permitted by policy ${names.map((n) => `"${n}"`).join(", ")}.`, {
      policies: names,
    });
  }
  return needsApproval(db, agent, token.subjectId, request, names, answer);
}

/**
 * The token with its grant and agent (owner, tenant, roles), and the policy set's version, in one
 * statement (statements.ts): this runs on every decision. Nothing here is cached.
 */
async function loadToken(db: Db, hash: string) {
  const rows = await runStatement(DECISION_TOKEN, [hash], db);
  const row = rows[0];
  if (!row) return null;
  const at = (d: Date | string | null) => (d === null ? null : new Date(d));
  // An agent row always has its tenant and owner (foreign keys), so those columns are set with it.
  const agent: DecisionAgent | null = row.agent_id
    ? {
        id: row.agent_id,
        name: row.agent_name ?? "",
        status: row.status ?? "",
        reviewDueAt: at(row.review_due_at),
        consentWithdrawnAt: at(row.consent_withdrawn_at),
        environment: row.environment ?? "",
        attributes: typeof row.attributes === "string" ? JSON.parse(row.attributes) : row.attributes,
        tenantId: row.agent_tenant_id ?? "",
        tenant: { id: row.agent_tenant_id ?? "", slug: row.tenant_slug ?? "" },
        owner: { id: row.owner_id ?? "", email: row.owner_email ?? "", deactivatedAt: at(row.owner_deactivated_at) },
        roles: (row.roles ?? []).map((name) => ({ role: { name } })),
      }
    : null;
  return {
    kind: row.kind,
    tenantId: row.tenant_id,
    clientId: row.client_id,
    subjectId: row.subject_id,
    scopes: row.scopes ?? [],
    audience: row.audience,
    expiresAt: at(row.expires_at) as Date,
    revokedAt: at(row.revoked_at),
    grant: row.grant_id ? { id: row.grant_id, revokedAt: at(row.grant_revoked_at) } : null,
    agent,
    policySetVersion: row.policy_set_version,
    depth: row.depth ?? 0,
    // The agents from the chain's origin to the caller (a token not exchanged: the caller alone).
    chain: row.chain_agents?.length ? row.chain_agents : row.agent_id ? [row.agent_id] : [],
    chainIntact: row.chain_intact !== false,
    dpop: { jkt: row.dpop_jkt, required: row.dpop_required === true },
  };
}

/** The agent as Cedar sees it, with its tenant, owner, roles, the resource and the user it acts for. */
export interface DecisionAgent {
  id: string;
  name: string;
  status: string;
  reviewDueAt: Date | null;
  consentWithdrawnAt?: Date | null;
  environment: string;
  attributes: unknown;
  tenantId: string;
  tenant: { id: string; slug: string };
  owner: { id: string; email: string; deactivatedAt: Date | null };
  roles: { role: { name: string } }[];
}

export const AGENT_INCLUDE = {
  owner: { select: { id: true, email: true, deactivatedAt: true } },
  tenant: { select: { id: true, slug: true } },
  roles: { select: { role: { select: { name: true } } } },
} as const;

export async function entitiesFor(
  db: Db,
  agent: DecisionAgent,
  request: DecisionRequest,
  subjectId: string | null,
): Promise<EntityJson[]> {
  const attributes = (agent.attributes ?? {}) as Record<string, string | number | boolean>;
  const resourceAttrs = request.resource.attributes;
  const entities: EntityJson[] = [
    { uid: { type: "Tenant", id: agent.tenant.id }, attrs: { slug: agent.tenant.slug }, parents: [] },
    {
      uid: { type: "User", id: agent.owner.id },
      attrs: { email: agent.owner.email, active: !agent.owner.deactivatedAt },
      parents: [{ type: "Tenant", id: agent.tenant.id }],
    },
    ...agent.roles.map(({ role }) => ({ uid: { type: "Role", id: role.name }, attrs: {}, parents: [] })),
    {
      uid: { type: "Agent", id: agent.id },
      attrs: {
        name: agent.name,
        tenant: entity("Tenant", agent.tenant.id),
        owner: entity("User", agent.owner.id),
        environment: agent.environment.toLowerCase(),
        roles: agent.roles.map(({ role }) => role.name),
      },
      parents: [
        { type: "Tenant", id: agent.tenant.id },
        ...agent.roles.map(({ role }) => ({ type: "Role", id: role.name })),
      ],
      tags: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)])),
    },
    {
      uid: { type: request.resource.type, id: request.resource.id },
      attrs: {
        ...(typeof resourceAttrs.tenant === "string"
          ? { tenant: entity("Tenant", await tenantIdOf(db, resourceAttrs.tenant, agent.tenant)) }
          : {}),
        ...(typeof resourceAttrs.owner === "string" ? { owner: resourceAttrs.owner } : {}),
      },
      parents: [],
      tags: Object.fromEntries(
        Object.entries(resourceAttrs)
          .filter(([k]) => k !== "tenant" && k !== "owner")
          .map(([k, v]) => [k, String(v)]),
      ),
    },
  ];
  // The person the agent acts for, unless that is its owner (already there: Cedar refuses an
  // entity given twice).
  if (subjectId && subjectId !== agent.owner.id) {
    entities.push({ uid: { type: "User", id: subjectId }, attrs: { email: "", active: true }, parents: [] });
  }
  return entities;
}

/** Context as policies see it: what the caller gave, plus the time and address Mandate sets. */
export function contextFor(
  request: DecisionRequest,
  now: Date,
  ip: string | undefined,
  subjectId: string | null,
  delegation: { chain: string[]; depth: number; audience: string },
) {
  return {
    ...request.context,
    chain: delegation.chain.map((id) => entity("Agent", id)),
    depth: delegation.depth,
    audience: delegation.audience,
    hour: now.getUTCHours(),
    weekday: ((now.getUTCDay() + 6) % 7) + 1,
    now: Math.floor(now.getTime() / 1000),
    source_ip: { __extn: { fn: "ip", arg: validIp(ip) } },
    ...(subjectId ? { on_behalf_of: entity("User", subjectId) } : {}),
  };
}

async function tenantIdOf(db: Db, ref: string, own: { id: string; slug: string }): Promise<string> {
  // Most resources are the agent's own tenant's, whose id and slug came with the token.
  if (ref === own.slug || ref === own.id) return own.id;
  const [tenant] = await runStatement(TENANT_BY_REF, isUuid(ref) ? [ref, null] : [null, ref], db);
  return tenant?.id ?? `unknown:${ref}`;
}

function validIp(ip: string | undefined): string {
  const v = (ip ?? "").replace(/^::ffff:/, "");
  return /^[\d.]+$/.test(v) || v.includes(":") ? v || "0.0.0.0" : "0.0.0.0";
}

/**
 * A permit that needs a person's approval: an approved, unused request for exactly this action,
 * resource and context allows it once; otherwise a request is opened (or the pending one reused).
 */
async function needsApproval(
  db: Awaited<ReturnType<typeof prisma>>,
  agent: { id: string; tenantId: string },
  subjectId: string | null,
  request: DecisionRequest,
  policies: string[],
  answer: (
    decision: Decision,
    code: DecisionCode,
    reason: string,
    extra?: { policies?: string[]; approvalId?: string; db?: Db },
  ) => Promise<DecisionAnswer>,
): Promise<DecisionAnswer> {
  const hash = requestHash(agent.id, request);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const approved = await tx.approvalRequest.findFirst({
      where: { agentId: agent.id, requestHash: hash, status: "APPROVED", usableUntil: { gt: now } },
      orderBy: { decidedAt: "desc" },
    });
    if (approved) {
      // Compare-and-set: of two decisions racing for one approval, one uses it.
      const used = await tx.approvalRequest.updateMany({
        where: { id: approved.id, status: "APPROVED" },
        data: { status: "USED", usedAt: now },
      });
      if (used.count === 1) {
        return answer(
          "allow",
          "approved_once",
          `Approved by ${approved.decidedByLabel ?? "an approver"}; allowed once.`,
          {
            policies,
            approvalId: approved.id,
            db: tx,
          },
        );
      }
    }
    const pending = await tx.approvalRequest.findFirst({
      where: { agentId: agent.id, requestHash: hash, status: "PENDING", expiresAt: { gt: now } },
    });
    const reason = `Policy ${policies.map((n) => `"${n}"`).join(", ")} requires a person's approval.`;
    const id = pending?.id ?? randomUUID();
    const result = await answer("needs_approval", "approval_required", reason, { policies, approvalId: id, db: tx });
    if (!pending) {
      await tx.approvalRequest.create({
        data: {
          id,
          tenantId: agent.tenantId,
          agentId: agent.id,
          subjectId,
          action: request.action,
          resource: request.resource,
          context: request.context,
          requestHash: hash,
          policies,
          reason,
          decisionId: result.decision_id,
          expiresAt: new Date(now.getTime() + APPROVAL_PENDING_HOURS * 3_600_000),
        },
      });
    }
    return result;
  });
}
