import { z } from "zod";

/** Top-level console paths a tenant slug must not shadow. */
export const RESERVED_SLUGS = new Set([
  "api",
  "oauth",
  "sign-in",
  "sign-out",
  "auth",
  "_next",
  "well-known",
  ".well-known",
  "settings",
  "admin",
  "static",
  "public",
  "favicon.ico",
  "robots.txt",
  "forbidden",
]);

export const tenantSlugSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(48, "Use at most 48 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and inner hyphens only.")
  .refine((s) => !RESERVED_SLUGS.has(s), "That name is reserved.");

export const createTenantSchema = z.object({
  slug: tenantSlugSchema,
  name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
});
export type CreateTenantInput = z.infer<typeof createTenantSchema>;
