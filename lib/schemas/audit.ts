import { z } from "zod";
import { MAX_DATE, MIN_DATE } from "./dates";

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
const AUDIT_FORMATS = ["csv", "ndjson", "ocsf"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];
const AUDIT_PAGE_SIZES = [10, 25, 50, 100] as const;
/** Lists beyond this many events say "more than" instead of counting every row. */
export const AUDIT_COUNT_LIMIT = 10_000;
/** How many agents, people or automation clients one search looks through, of each kind. */
export const SEARCH_NAME_LIMIT = 100;

/** What the audit store records, by action: the action filter's choices. */
export const AUDIT_ACTIONS: Record<string, string> = {
  "auth.sign_in": "Console sign-in",
  "auth.sign_out": "Console sign-out",
  "user.create": "Person created",
  "user.deactivate": "Person deactivated",
  "user.reactivate": "Person reactivated",
  "invitation.create": "Invitation sent",
  "invitation.email": "Invitation emailed",
  "invitation.resend": "Invitation re-sent",
  "invitation.revoke": "Invitation revoked",
  "invitation.accept": "Invitation accepted",
  "tenant.create": "Tenant created",
  "tenant.update": "Tenant renamed",
  "tenant.member.add": "Member added",
  "tenant.member.role_change": "Member's role changed",
  "tenant.member.remove": "Member removed",
  "tenant.settings.update": "Tenant settings changed",
  "agent.create": "Agent registered",
  "agent.update": "Agent changed",
  "agent.activate": "Agent activated",
  "agent.suspend": "Agent suspended",
  "agent.resume": "Agent resumed",
  "agent.retire": "Agent retired",
  "agent.renew": "Agent review renewed",
  "agent.kill": "Kill switch",
  "agent.credential.create": "Credential created",
  "agent.credential.revoke": "Credential revoked",
  "agent.role.assign": "Role assigned",
  "agent.role.remove": "Role removed",
  "scope.create": "Scope created",
  "scope.update": "Scope changed",
  "scope.delete": "Scope deleted",
  "role.create": "Role created",
  "role.update": "Role changed",
  "role.delete": "Role deleted",
  "automation_client.create": "Automation client created",
  "automation_client.revoke": "Automation client revoked",
  "oauth.token.issued": "Access token issued",
  "oauth.refresh_token.issued": "Refresh token issued",
  "oauth.token.refused": "Token request refused",
  "oauth.introspection.refused": "Introspection refused",
  "oauth.revocation.refused": "Token revocation refused",
  "oauth.authorization.refused": "Authorization request refused",
  "oauth.token.revoked": "Token revoked",
  "oauth.token_family.revoked": "Token family revoked (reuse)",
  "oauth.token.exchanged": "Token exchanged (delegation)",
  "oauth.client.registered": "Client registered dynamically",
  "mcp_client.connected": "MCP client let into the tenant",
  "mcp_client.approved": "MCP client approved",
  "mcp_client.blocked": "MCP client blocked",
  "consent.granted": "Consent given",
  "consent.refused": "Consent refused",
  "consent.withdraw": "Tenant consent withdrawn",
  "consent.restore": "Tenant consent restored",
  "grant.revoke": "Grant revoked",
  "grant.revoke_user": "Person's grants revoked",
  "grant.revoked": "Grant revoked by the authorization server",
  "decision.evaluate": "Decision",
  "approval.approve": "Approval given",
  "approval.deny": "Approval denied",
  "policy.create": "Policy created",
  "policy.update": "Policy changed",
  "anomaly.detected": "Anomaly detected",
  "anomaly.acknowledged": "Anomaly acknowledged",
  "anomaly.dismissed": "Anomaly dismissed",
  "anomaly.contained": "Anomaly contained",
  "audit.export": "Audit export",
  "audit.archive": "Audit segment archived",
  "rate_limit.exceeded": "Rate limit exceeded",
};

/**
 * The action filter's families. A family is every event that changed what it names, not only the
 * actions spelled with its name: grants are revoked by `grant.revoke`, and also by a tenant
 * withdrawing its consent, the kill switch, a leaver's deactivation and a member's removal. A
 * family's actions are the catalog's starting with `<family>.`, and `also` the others that change
 * it, each with what it does there.
 */
export const AUDIT_FAMILIES: Record<string, { label: string; also?: Record<string, string> }> = {
  auth: {
    label: "Sign-ins and console sessions",
    also: { "user.deactivate": "ends the person's console sessions" },
  },
  user: {
    label: "People and their roles",
    also: {
      "invitation.accept": "creates the person, or gives them the invitation's role",
      "tenant.member.add": "gives the person a role in a tenant",
      "tenant.member.role_change": "changes the person's role in a tenant",
      "tenant.member.remove": "takes the person out of a tenant",
    },
  },
  invitation: { label: "Invitations" },
  mcp_client: { label: "MCP clients", also: { "oauth.client.registered": "registers a client by itself" } },
  tenant: {
    label: "Tenants, their members and settings",
    also: { "invitation.accept": "adds the person to the invitation's tenant" },
  },
  agent: {
    label: "Agents",
    also: {
      "consent.withdraw": "stops the agent in the tenant",
      "consent.restore": "lets the agent act in the tenant again",
      "user.deactivate": "leaves the agents the person owns orphaned",
      "user.reactivate": "gives orphaned agents their owner back",
      "tenant.member.remove": "drops the person as the agents' backup owner",
    },
  },
  scope: { label: "Scopes" },
  role: {
    label: "Roles and who holds them",
    also: {
      "agent.role.assign": "gives an agent the role",
      "agent.role.remove": "takes the role from an agent",
      "scope.delete": "takes the scope out of every role",
    },
  },
  automation_client: { label: "Automation clients" },
  oauth: {
    label: "Tokens and the authorization server",
    also: {
      "grant.revoke": "revokes the grant's tokens",
      "grant.revoke_user": "revokes the person's tokens",
      "grant.revoked": "revokes the grant's tokens",
      "consent.withdraw": "revokes the agent's tokens in the tenant",
      "agent.kill": "revokes every token the agent holds",
      "user.deactivate": "revokes the person's tokens",
      "tenant.member.remove": "revokes the person's tokens in the tenant",
      "automation_client.revoke": "revokes the client's tokens",
    },
  },
  consent: { label: "Consent" },
  grant: {
    label: "Grants",
    also: {
      "consent.granted": "creates the grant",
      "consent.withdraw": "revokes the agent's grants in the tenant",
      "agent.kill": "revokes every grant the agent holds",
      "user.deactivate": "revokes the person's grants",
      "tenant.member.remove": "revokes the person's grants in the tenant",
    },
  },
  decision: { label: "Decisions" },
  approval: { label: "Approvals" },
  policy: { label: "Policies" },
  anomaly: { label: "Anomalies" },
  audit: { label: "The audit log itself" },
  rate_limit: { label: "Rate limits" },
};

/**
 * The actions a filter names: one action, a family (`grant.*`, every event that changed grants),
 * or the catalog's actions under a longer prefix (`agent.credential.*`). Empty when it names none.
 */
export function actionsOf(filter: string): string[] {
  if (!filter.endsWith(".*")) return Object.hasOwn(AUDIT_ACTIONS, filter) ? [filter] : [];
  const name = filter.slice(0, -2);
  const own = Object.keys(AUDIT_ACTIONS).filter((a) => a.startsWith(`${name}.`));
  const also = Object.hasOwn(AUDIT_FAMILIES, name) ? Object.keys(AUDIT_FAMILIES[name].also ?? {}) : [];
  return [...new Set([...own, ...also])];
}

const isoDate = (field: string) =>
  z
    .string()
    .trim()
    .refine((v) => !Number.isNaN(Date.parse(v)), `Use a date or date-time for ${field} (ISO 8601).`)
    .transform((v) => new Date(v))
    .refine((d) => d >= MIN_DATE && d < MAX_DATE, `Use a date between 1970 and 9000 for ${field}.`);

/** The audit log's filters, shared by the list, the export and their API forms. */
export const auditFilterSchema = z.object({
  /** A tenant's slug or id; without it, every tenant the caller reads (and installation events for global readers). */
  tenant: z.string().trim().min(1).max(100).optional(),
  from: isoDate("from").optional(),
  to: isoDate("to").optional(),
  /** An actor's id (a person's, an agent's, an automation client's). */
  actor: z.string().trim().min(1).max(200).optional(),
  actor_type: z
    .enum(["user", "agent", "client", "system", "anonymous"], {
      error: "Use user, agent, client, system or anonymous.",
    })
    .optional(),
  /** Events by the agent or about it. */
  agent: z.uuid("Use an agent id.").optional(),
  /** An action, or a family of them: "grant.*" (every event that changed grants: AUDIT_FAMILIES). */
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "Use an action such as agent.update, or agent.* for a family.")
    .refine(
      (a) => !a.endsWith(".*") || actionsOf(a).length > 0,
      "No action is in this family: use one such as agent.*.",
    )
    .optional(),
  outcome: z.enum(AUDIT_OUTCOMES, { error: "Use success, failure or denied." }).optional(),
  /**
   * An id (a UUID: an agent's, a person's, a request's…; an automation client's client id; a
   * grant's), matched exactly; or part of a name (an agent's, a person's or an automation client's:
   * the events by them and about them) or of an actor's email or client id.
   */
  q: z
    .string()
    .trim()
    .max(200, "Use at most 200 characters.")
    .optional()
    .transform((v) => v || undefined),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;

export const auditListSchema = auditFilterSchema.extend({
  cursor: z.string().trim().max(100).optional(),
  page_size: z.coerce
    .number({ error: "Use a number." })
    .int("Use a whole number.")
    .refine((n) => (AUDIT_PAGE_SIZES as readonly number[]).includes(n), `Use one of ${AUDIT_PAGE_SIZES.join(", ")}.`)
    .default(50),
});
export type AuditListQuery = z.output<typeof auditListSchema>;

export const auditExportSchema = auditFilterSchema.extend({
  format: z.enum(AUDIT_FORMATS, { error: "Use csv, ndjson or ocsf." }),
});
