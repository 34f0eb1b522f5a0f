import { z } from "zod";

const name = z
  .string({ error: "Name the policy." })
  .trim()
  .min(3, "Use at least 3 characters.")
  .max(120, "Use at most 120 characters.");
const text = z
  .string({ error: "Write the policy in Cedar." })
  .min(10, "Write the policy in Cedar.")
  .max(20_000, "Keep a policy under 20,000 characters.");

/** Policies: global ones and those of the tenants the caller reads, or one tenant's. */
export const policyListSchema = z.object({ tenant: z.string().optional().describe("A tenant's slug or id.") });

export const createPolicySchema = z.object({
  name,
  description: z.string().trim().max(1000).default(""),
  /** A tenant's slug or id; null for a global policy (security admins only). */
  tenant: z.string().trim().min(1).nullable(),
  text,
  enabled: z.boolean().default(true),
});
export type CreatePolicyInput = z.input<typeof createPolicySchema>;

export const updatePolicySchema = z
  .object({
    name: name.optional(),
    description: z.string().trim().max(1000).optional(),
    text: text.optional(),
    enabled: z.boolean().optional(),
    /** Why this version: kept in the history. */
    note: z.string().trim().max(500).default(""),
  })
  .refine(
    (v) => v.name !== undefined || v.description !== undefined || v.text !== undefined || v.enabled !== undefined,
    {
      message: "Nothing to change.",
    },
  );
export type UpdatePolicyInput = z.input<typeof updatePolicySchema>;

export const rollbackPolicySchema = z.object({
  version: z.coerce.number({ error: "Name the version to go back to." }).int().min(1),
  note: z.string().trim().max(500).default(""),
});

export const validatePolicySchema = z.object({
  text: z.string().max(20_000),
  tenant: z.string().trim().min(1).nullable().default(null),
});

export const approvalListSchema = z.object({
  status: z.enum(["pending", "approved", "denied", "used", "expired"]).optional().catch(undefined),
  tenant: z.string().trim().min(1).max(100).optional().catch(undefined),
  agent: z.uuid().optional().catch(undefined),
});

export const decideApprovalSchema = z.object({ note: z.string().trim().max(500).default("") });

export const simulateSchema = z.object({
  agent: z.uuid("Choose an agent."),
  action: z.string({ error: "Name the action." }).trim().min(1, "Name the action.").max(100),
  resource: z.object({
    type: z.string().trim().min(1),
    id: z.string().trim().min(1, "Give the resource's id.").max(200),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  }),
  context: z.record(z.string(), z.unknown()).default({}),
  /** As if the agent held an exchanged token: the agents above it, origin first (context.chain, depth). */
  delegated_by: z.array(z.uuid("Each agent of the chain is an id.")).max(10).default([]),
  /** As if the token were for this resource server (context.audience); Mandate's API when left out. */
  audience: z
    .string()
    .trim()
    .max(2000)
    .refine(
      (v) => v === "" || URL.canParse(v),
      "Give the audience as an absolute URL, e.g. https://mcp.example.com/mcp.",
    )
    .optional(),
  /** The policy being edited, as it would be saved: replaces policy_id's text, or is added. */
  draft: z
    .object({
      policy_id: z.uuid().optional(),
      name: z.string().trim().max(120).default("Draft"),
      text: z.string().max(20_000),
    })
    .optional(),
});
export type SimulateInput = z.input<typeof simulateSchema>;
