import { z } from "zod";
import { RISKS } from "./catalog";
import { pageSizeSchema, searchSchema } from "./pagination";
import { reasonSchema } from "./reason";

const GRANT_STATUSES = ["active", "revoked", "all"] as const;

/** Lists of grants beyond this many rows say "more than" instead of counting every row. */
export const GRANT_COUNT_LIMIT = 10_000;

/**
 * Grant lists page by an opaque cursor (newest first by default), never by offset: the page after
 * a million rows costs what the first does. Filters are named like the fields.
 */
export const grantListSchema = z.object({
  cursor: z.string().trim().max(200).optional(),
  page_size: pageSizeSchema(),
  dir: z.enum(["asc", "desc"], { error: "Use asc or desc." }).default("desc"),
  /** A tenant's slug or id. */
  tenant: z.string().trim().min(1).max(100).optional(),
  user: z.uuid("Use a user id.").optional(),
  agent: z.uuid("Use an agent id.").optional(),
  scope: z.string().trim().min(1).max(100).optional(),
  /** Grants that hold at least one scope of this risk. */
  risk: z.enum(RISKS, { error: "Use low, medium or high." }).optional(),
  status: z.enum(GRANT_STATUSES, { error: "Use active, revoked or all." }).default("active"),
  /** Only the caller's own grants ("My connected agents"). */
  mine: z
    .enum(["true", "false"], { error: "Use true or false." })
    .optional()
    .transform((v) => v === "true"),
  /** A person's name or email, or an agent's name. */
  q: searchSchema,
});
export type GrantListQuery = z.output<typeof grantListSchema>;

const grantIdsSchema = z
  .array(z.string().trim().min(1).max(100), { error: "Give a list of grant ids." })
  .min(1, "Choose at least one grant.")
  .max(100, "Revoke at most 100 grants at once.");

/** What a revocation would take: asked before the confirmation, with the same checks as the act. */
export const revocationTargetSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("grants"), grant_ids: grantIdsSchema }),
    /** Every grant of this person where the caller revokes grants (offboarding). */
    z.object({ kind: z.literal("user"), user: z.uuid("Use a user id.") }),
    /** The tenant's consent withdrawal from an agent. */
    z.object({ kind: z.literal("consent"), agent: z.uuid("Use an agent id.") }),
    /** The kill switch: everything the agent holds, everywhere. */
    z.object({ kind: z.literal("kill"), agent: z.uuid("Use an agent id.") }),
  ],
  { error: "Use grants, user, consent or kill." },
);
export type RevocationTarget = z.output<typeof revocationTargetSchema>;

export const bulkRevokeSchema = z.object({ grant_ids: grantIdsSchema, reason: reasonSchema });

/** The impact a confirmation states before anything is revoked. */
export interface RevocationImpact {
  grants: number;
  tokens: number;
  users: number;
  /** The kill switch's: the agent's credentials that still work. */
  credentials?: number;
}

/** "Revokes 3 grants and 41 live tokens for 3 users." (and the credentials, for the kill switch) */
export function describeImpact(impact: RevocationImpact): string {
  const n = (count: number, one: string, many: string) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
  const credentials = impact.credentials ?? 0;
  if (impact.grants === 0 && impact.tokens === 0 && credentials === 0) return "Nothing live to revoke.";
  const parts = [n(impact.grants, "grant", "grants"), n(impact.tokens, "live token", "live tokens")];
  if (impact.credentials !== undefined) parts.push(n(credentials, "credential", "credentials"));
  const who = impact.users ? ` for ${n(impact.users, "user", "users")}` : "";
  const list = parts.length > 2 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts.join(" and ");
  return `Revokes ${list}${who}.`;
}
