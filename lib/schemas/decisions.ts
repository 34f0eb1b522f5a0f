import { z } from "zod";
import { RESOURCE_TYPE_LIST } from "./decision-vocabulary";

const attributeValue = z.union([z.string().max(500), z.number(), z.boolean()]);

export const decisionRequestSchema = z.object({
  action: z
    .string({ error: "Name the action (a scope, e.g. email.send)." })
    .trim()
    .regex(/^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/, "Name the action as a scope, e.g. email.send.")
    .max(100),
  resource: z.object(
    {
      type: z.enum(RESOURCE_TYPE_LIST, { error: `Use one of: ${RESOURCE_TYPE_LIST.join(", ")}.` }),
      id: z.string({ error: "Give the resource's id." }).trim().min(1, "Give the resource's id.").max(200),
      attributes: z
        .record(
          z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/, "Attribute names use letters, digits, _ . -"),
          attributeValue,
        )
        .refine((a) => Object.keys(a).length <= 50, "At most 50 attributes.")
        .default({}),
    },
    { error: "Give the resource as {type, id, attributes}." },
  ),
  context: z
    .object({
      amount: z.number().int("Give amounts as whole numbers.").optional(),
      currency: z.string().max(10).optional(),
      recipient: z.string().max(320).optional(),
      recipient_domain: z.string().max(253).optional(),
      purpose: z.string().max(500).optional(),
      count: z.number().int().optional(),
    })
    .strict()
    .default({}),
});
export type DecisionRequest = z.output<typeof decisionRequestSchema>;
