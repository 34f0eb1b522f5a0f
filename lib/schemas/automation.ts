import { z } from "zod";
import { isUuid } from "../validation";

/** Automation client ids are chosen by people (ci-deployer) and never look like an agent's UUID. */
const automationClientIdSchema = z
  .string({ error: "Enter a client id." })
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9._-]{2,63}$/,
    "Use 3 to 64 lower-case letters, digits and . _ - (starting with a letter or digit).",
  )
  .refine((v) => !isUuid(v), "Client ids must not look like a UUID (those are agents').");

export const AUTOMATION_ROLES = ["security_admin", "auditor", "tenant_owner", "tenant_auditor", "member"] as const;
export type AutomationRole = (typeof AUTOMATION_ROLES)[number];

export const AUTOMATION_ROLE_LABELS: Record<AutomationRole, string> = {
  security_admin: "Security admin (every tenant)",
  auditor: "Auditor (every tenant)",
  tenant_owner: "Tenant owner",
  tenant_auditor: "Tenant auditor",
  member: "Member",
};

export const createAutomationClientSchema = z
  .object({
    client_id: automationClientIdSchema,
    name: z.string({ error: "Enter a name." }).trim().min(2, "Use at least 2 characters.").max(80),
    role: z.enum(AUTOMATION_ROLES, { error: "Choose a role." }),
    /** Required for the tenant roles; slug or id. */
    tenant: z.string().trim().min(1).optional().nullable(),
  })
  .superRefine((v, ctx) => {
    const global = v.role === "security_admin" || v.role === "auditor";
    if (!global && !v.tenant)
      ctx.addIssue({ code: "custom", path: ["tenant"], message: "Choose the tenant this role applies in." });
    if (global && v.tenant)
      ctx.addIssue({ code: "custom", path: ["tenant"], message: "A role held in every tenant takes no tenant." });
  });
export type CreateAutomationClientInput = z.input<typeof createAutomationClientSchema>;
