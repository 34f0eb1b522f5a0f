import { z } from "zod";
import { MAX_DATE, MIN_DATE } from "./dates";

export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export const AUDIT_FORMATS = ["csv", "ndjson", "ocsf"] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];
export const AUDIT_PAGE_SIZES = [10, 25, 50, 100] as const;
/** Lists beyond this many events say "more than" instead of counting every row. */
export const AUDIT_COUNT_LIMIT = 10_000;

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
};

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
  /** An action, or a family of them: "agent.*". */
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "Use an action such as agent.update, or agent.* for a family.")
    .optional(),
  outcome: z.enum(AUDIT_OUTCOMES, { error: "Use success, failure or denied." }).optional(),
  /** An id (of a target, actor or request), or part of an actor's name, email or client id. */
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
