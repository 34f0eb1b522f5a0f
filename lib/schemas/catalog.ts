import { z } from "zod";

export const RISKS = ["low", "medium", "high"] as const;
export type Risk = (typeof RISKS)[number];

const scopeNameSchema = z
  .string({ error: "Enter a scope name." })
  .trim()
  .min(3, "Use at least 3 characters.")
  .max(64, "Use at most 64 characters.")
  .regex(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/, "Use dotted lower-case names, like contacts.read or email.send.");

export const createScopeSchema = z.object({
  name: scopeNameSchema,
  description: z.string({ error: "Describe the scope." }).trim().min(3, "Describe the scope.").max(300),
  risk: z.enum(RISKS, { error: "Choose low, medium or high." }),
  /** null for a global scope (security admins only). */
  tenant: z.string().trim().min(1).nullable(),
});

export const updateScopeSchema = z.object({
  description: z.string().trim().min(3, "Describe the scope.").max(300).optional(),
  risk: z.enum(RISKS, { error: "Choose low, medium or high." }).optional(),
});

export const createRoleSchema = z.object({
  name: z
    .string({ error: "Enter a role name." })
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(64, "Use at most 64 characters."),
  description: z.string().trim().max(300).default(""),
  tenant: z.string().trim().min(1).nullable(),
  scopes: z.array(z.uuid("Not a scope id.")).max(200).default([]),
});

/** Giving an agent a role. */
export const assignRoleSchema = z.object({ role: z.uuid("Not a role id.") });

export const updateRoleSchema = z.object({
  name: createRoleSchema.shape.name.optional(),
  description: z.string().trim().max(300).optional(),
  scopes: z.array(z.uuid("Not a scope id.")).max(200).optional(),
});
