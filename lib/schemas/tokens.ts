import { z } from "zod";
import { PAGE_SIZES } from "./pagination";

export const tokenListSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  page_size: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(25),
  /** A tenant's slug or id. */
  tenant: z.string().trim().min(1).max(100).optional().catch(undefined),
  agent: z.uuid().optional().catch(undefined),
  subject: z.uuid().optional().catch(undefined),
  grant: z.string().trim().min(1).max(100).optional().catch(undefined),
  kind: z.enum(["access_token", "refresh_token"]).optional().catch(undefined),
  /** live (default): unexpired, unrevoked, and the agent and grant still live. */
  status: z.enum(["live", "all"]).catch("live"),
});
export type TokenListQuery = z.infer<typeof tokenListSchema>;
