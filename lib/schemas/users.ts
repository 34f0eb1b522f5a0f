import { z } from "zod";
import { emailSchema, newPasswordSchema } from "./auth";

export const tenantRoleSchema = z.enum(["tenant_owner", "auditor", "member"]);
export const globalRoleSchema = z.enum(["security_admin", "auditor"]);

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  password: newPasswordSchema.optional(),
  global_role: globalRoleSchema.nullable().optional(),
});
export type CreateUserInput = z.input<typeof createUserSchema>;
