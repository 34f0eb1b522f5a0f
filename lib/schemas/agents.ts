import { z } from "zod";
import { AGENT_STATUSES, TRANSITION_NAMES } from "../agent-lifecycle";
import { dateSchema } from "./dates";
import { listQuerySchema } from "./pagination";
import { reasonSchema } from "./reason";
import { tenantQuerySchema } from "./tenants";

export const ENVIRONMENTS = ["development", "staging", "production"] as const;
export type AgentEnvironment = (typeof ENVIRONMENTS)[number];

const attributeKey = z
  .string()
  .regex(
    /^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/,
    "Attribute names start with a letter and use letters, digits, _ . - (64 at most).",
  );
const attributeValue = z.union([z.string().max(500), z.number(), z.boolean()]);

const agentAttributesSchema = z
  .record(attributeKey, attributeValue, { error: "Attributes are an object of name → text, number or true/false." })
  .refine((a) => Object.keys(a).length <= 50, "At most 50 attributes.");

const name = z
  .string({ error: "Enter a name." })
  .trim()
  .min(2, "Use at least 2 characters.")
  .max(80, "Use at most 80 characters.")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "Use letters, digits, spaces and . _ - only.");

/** Exact redirect URIs for authorization code + PKCE: https, or http on loopback for local tools. */
const redirectUrisSchema = z
  .array(
    z
      .string()
      .trim()
      .max(500, "Use at most 500 characters.")
      .refine((v) => {
        try {
          const url = new URL(v);
          if (url.hash) return false;
          if (url.protocol === "https:") return true;
          return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
        } catch {
          return false;
        }
      }, "Use an absolute https URL without a fragment (http only for localhost)."),
    { error: "Redirect URIs are a list of URLs." },
  )
  .max(10, "At most 10 redirect URIs.")
  .transform((uris) => [...new Set(uris)]);

/** Signing algorithms for private_key_jwt client assertions (asymmetric only). */
export const CLIENT_KEY_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

export const TOKEN_TTL = { min: 60, max: 3600, default: 600 } as const;
const tokenTtlSchema = z.coerce
  .number({ error: "Enter a number of seconds." })
  .int("Use whole seconds.")
  .min(TOKEN_TTL.min, `At least ${TOKEN_TTL.min} seconds.`)
  .max(TOKEN_TTL.max, `At most ${TOKEN_TTL.max} seconds (60 minutes).`);

/**
 * Who may act on the agent's tokens by token exchange: null for any agent of its tenant, or a list
 * of its tenant's agent ids (empty: none). Listing the agent itself changes nothing (an agent may
 * always narrow a token it holds) but is accepted. The domain checks the ids are the tenant's.
 */
export const MAX_DELEGATES = 100;
const mayDelegateToSchema = z
  .array(z.uuid("Not an agent id."), { error: "Give null (any agent of the tenant) or a list of agent ids." })
  .max(MAX_DELEGATES, `At most ${MAX_DELEGATES} agents.`)
  .transform((ids) => [...new Set(ids)])
  .nullable();

/** RFC 9449: the agent's access tokens must be bound to a key (DPoP); its tenant may require it for all. */
const dpopRequiredSchema = z.boolean({ error: "dpop_required is true or false." });

const userRef = z.string({ error: "Choose a user." }).trim().min(1, "Choose a user.").max(254);

export const createAgentSchema = z
  .object({
    name,
    description: z.string().trim().max(1000, "Use at most 1,000 characters.").default(""),
    tenant: z.string({ error: "Choose a tenant." }).trim().min(1, "Choose a tenant."),
    owner: userRef,
    backup_owner: userRef.optional().nullable(),
    environment: z.enum(ENVIRONMENTS, { error: "Choose development, staging or production." }),
    attributes: agentAttributesSchema.default({}),
    redirect_uris: redirectUrisSchema.default([]),
    token_ttl_seconds: tokenTtlSchema.default(TOKEN_TTL.default),
    may_delegate_to: mayDelegateToSchema.default(null),
    dpop_required: dpopRequiredSchema.default(false),
  })
  .refine((a) => !a.backup_owner || a.backup_owner !== a.owner, {
    path: ["backup_owner"],
    message: "The backup owner must be someone other than the owner.",
  });
export type CreateAgentInput = z.input<typeof createAgentSchema>;

export const updateAgentSchema = z
  .object({
    name: name.optional(),
    description: z.string().trim().max(1000, "Use at most 1,000 characters.").optional(),
    owner: userRef.optional(),
    backup_owner: userRef.nullable().optional(),
    environment: z.enum(ENVIRONMENTS, { error: "Choose development, staging or production." }).optional(),
    attributes: agentAttributesSchema.optional(),
    redirect_uris: redirectUrisSchema.optional(),
    token_ttl_seconds: tokenTtlSchema.optional(),
    may_delegate_to: mayDelegateToSchema.optional(),
    dpop_required: dpopRequiredSchema.optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), { message: "Nothing to change." });
export type UpdateAgentInput = z.input<typeof updateAgentSchema>;

export const transitionSchema = z.object({
  transition: z.enum(TRANSITION_NAMES as [string, ...string[]]),
  reason: reasonSchema,
});

export const bulkTransitionSchema = z.object({
  ids: z.array(z.uuid("Not an agent id.")).min(1, "Select at least one agent.").max(100, "At most 100 agents at once."),
  transition: z.enum(["suspend", "resume"]),
  reason: reasonSchema,
});

const AGENT_SORTS = ["name", "created_at", "status", "environment", "review_due_at"] as const;

export const agentListSchema = listQuerySchema(AGENT_SORTS, "created_at").extend({
  status: z.enum(AGENT_STATUSES).optional().catch(undefined),
  environment: z.enum(ENVIRONMENTS).optional().catch(undefined),
  owner: z.uuid().optional().catch(undefined),
  review: z.enum(["due"]).optional().catch(undefined),
  orphaned: z
    .enum(["true"])
    .optional()
    .catch(undefined)
    .transform((v) => v === "true"),
});
export type AgentListQuery = z.output<typeof agentListSchema>;

/** The admin API's agent list: the console's, with the tenant in the query rather than the URL. */
export const tenantAgentListSchema = agentListSchema.extend(tenantQuerySchema.shape);

// Credentials

const createSecretSchema = z.object({
  type: z.literal("client_secret"),
  label: z.string().trim().max(80, "Use at most 80 characters.").default(""),
  expires_at: dateSchema("expires_at")
    .refine((d) => d.getTime() > Date.now(), "Choose a date in the future.")
    .optional()
    .nullable(),
});

const createKeySchema = z
  .object({
    type: z.literal("jwk"),
    label: z.string().trim().max(80, "Use at most 80 characters.").default(""),
    jwk: z.record(z.string(), z.unknown()).optional(),
    jwks_url: z
      .url({ protocol: /^https$/, error: "Enter an https:// URL." })
      .max(2000)
      .optional(),
    expires_at: dateSchema("expires_at")
      .refine((d) => d.getTime() > Date.now(), "Choose a date in the future.")
      .optional()
      .nullable(),
  })
  .refine((k) => !!k.jwk !== !!k.jwks_url, { path: ["jwk"], message: "Give either a public JWK or a JWKS URL." });

export const createCredentialSchema = z.discriminatedUnion("type", [createSecretSchema, createKeySchema], {
  error: "type must be client_secret or jwk.",
});
