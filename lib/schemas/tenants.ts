import { z } from "zod";
import { hasControlCharacters } from "../validation";
import { pageNumberSchema, pageSizeSchema, searchSchema } from "./pagination";

/** Top-level console paths a tenant slug must not shadow. */
const RESERVED_SLUGS = new Set([
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
  "invite",
]);

export const tenantSlugSchema = z
  .string()
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(48, "Use at most 48 characters.")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lower-case letters, digits and inner hyphens only.")
  .refine((s) => !RESERVED_SLUGS.has(s), "That name is reserved.");

const tenantNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Use at most 100 characters.")
  .refine((v) => !hasControlCharacters(v), "Use letters, not control characters.");

export const createTenantSchema = z.object({
  slug: tenantSlugSchema,
  name: tenantNameSchema,
});
export type CreateTenantInput = z.infer<typeof createTenantSchema>;

/** Renaming a tenant; a new slug changes its console URLs (old links stop working). */
export const updateTenantSchema = z
  .object({ name: tenantNameSchema.optional(), slug: tenantSlugSchema.optional() })
  .refine((v) => v.name !== undefined || v.slug !== undefined, {
    path: ["name"],
    message: "Give a new name or slug.",
  });

/** The tenants list: by name, with a search. Tenants are few; pages are offsets. */
export const tenantListSchema = z.object({
  page: pageNumberSchema,
  page_size: pageSizeSchema(50),
  q: searchSchema,
});

/** The admin API's lists of one tenant's things name the tenant in the query. */
export const tenantQuerySchema = z.object({ tenant: z.string().min(1).describe("A tenant's slug or id.") });

/** A slug proposed from a name: "Acme Corp (EU)" → "acme-corp-eu". */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}
