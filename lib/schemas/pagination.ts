import { z } from "zod";

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** Offset pages for entity lists (they show totals). Sort fields come from an allow-list. */
export function listQuerySchema<const S extends readonly [string, ...string[]]>(sortFields: S, defaultSort: S[number]) {
  return z.object({
    page: z.coerce.number().int().min(1).max(100_000).catch(1),
    page_size: z.coerce
      .number()
      .int()
      .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
      .catch(25),
    sort: z.enum(sortFields).catch(defaultSort),
    dir: z.enum(["asc", "desc"]).catch(defaultSort === "created_at" ? "desc" : "asc"),
    q: z
      .string()
      .trim()
      .max(100)
      .optional()
      .catch(undefined)
      .transform((v) => v || undefined),
  });
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}
