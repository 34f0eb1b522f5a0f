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

/** How many token exchanges deep a delegation chain may go in a tenant (RFC 8693). */
export const DELEGATION_DEPTH = { min: 1, max: 10, default: 3 } as const;
export const maxDelegationDepthSchema = z.coerce
  .number({ error: "Enter a number of exchanges." })
  .int("Enter a whole number of exchanges.")
  .min(DELEGATION_DEPTH.min, `Allow at least ${DELEGATION_DEPTH.min} exchange.`)
  .max(DELEGATION_DEPTH.max, `Allow at most ${DELEGATION_DEPTH.max} exchanges.`);

/** RFC 9449: every agent of the tenant must bind its access tokens to a key (DPoP). */
export const dpopRequiredSchema = z.boolean({ error: "dpop_required is true or false." });

/**
 * Renaming a tenant (a new slug changes its console URLs: old links stop working), and its
 * delegation depth. Renaming is for security admins; the depth is a setting its owners change.
 */
export const updateTenantSchema = z
  .object({
    name: tenantNameSchema.optional(),
    slug: tenantSlugSchema.optional(),
    max_delegation_depth: maxDelegationDepthSchema.optional(),
    dpop_required: dpopRequiredSchema.optional(),
  })
  .refine(
    (v) =>
      v.name !== undefined ||
      v.slug !== undefined ||
      v.max_delegation_depth !== undefined ||
      v.dpop_required !== undefined,
    { path: ["name"], message: "Give a new name, slug, max_delegation_depth or dpop_required." },
  );

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
