import { z } from "zod";
import { pageSizeSchema } from "./pagination";

// Connected MCP clients: clients that identified themselves by a client metadata document (their
// client_id is its https URL) or registered dynamically, and that a person let into a tenant.

export const CLIENT_APPROVALS = ["pending", "approved", "blocked"] as const;
export type ClientApprovalState = (typeof CLIENT_APPROVALS)[number];

export const CLIENT_SOURCES = ["metadata_document", "registration"] as const;
export type ClientSource = (typeof CLIENT_SOURCES)[number];

export const mcpClientListSchema = z.object({
  page: z.coerce.number({ error: "Use a page number." }).int("Use a whole page number.").min(1).max(100_000).default(1),
  page_size: pageSizeSchema(25),
  approval: z.enum(CLIENT_APPROVALS, { error: "Use pending, approved or blocked." }).optional(),
});

const reasonSchema = z
  .string({ error: "Give a reason." })
  .trim()
  .min(3, "Give a reason of at least 3 characters.")
  .max(500, "Keep the reason under 500 characters.");

export const clientApprovalSchema = z.object({ reason: reasonSchema });

const scopeName = z
  .string({ error: "Each scope is a name." })
  .trim()
  .min(1, "A scope name is not empty.")
  .max(100, "Scope names are at most 100 characters.");

export const openScopesSchema = z.object({
  scopes: z.array(scopeName, { error: "Give scopes as a list of names." }).max(100, "At most 100 scopes."),
});
