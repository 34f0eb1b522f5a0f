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

export type Direction = "asc" | "desc";

/**
 * One page of a list, as the domain returns it and the console's table shows it: offset pages
 * for lists that stay small enough to count and number, cursor pages (server/db/keyset.ts) for
 * those that grow to millions of rows.
 */
export type Page<Row> = OffsetPage<Row> | CursorPage<Row>;

interface PageOf<Row> {
  rows: Row[];
  total: number;
  pageSize: number;
  /** The order the rows are in: a sort key as the URL and the API name it, and its direction. */
  sort: string;
  dir: Direction;
}

export interface OffsetPage<Row> extends PageOf<Row> {
  /** The page shown, from 1. */
  page: number;
}

export interface CursorPage<Row> extends PageOf<Row> {
  /** `total` is exact up to the list's count limit; beyond it this is set and total is the limit. */
  totalCapped: boolean;
  /** Opaque cursors of the pages after and before this one (null: there is none). */
  nextCursor: string | null;
  prevCursor: string | null;
}

/** A page size from the allowed ones; anything else is named as the field's error. */
export const pageSizeSchema = (fallback: (typeof PAGE_SIZES)[number] = 25) =>
  z.coerce
    .number({ error: "Use a number." })
    .int("Use a whole number.")
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `Use one of ${PAGE_SIZES.join(", ")}.`)
    .default(fallback);

/** An offset page's number. */
export const pageNumberSchema = z.coerce
  .number({ error: "Use a number." })
  .int("Use a whole number.")
  .min(1, "Pages start at 1.")
  .max(100_000)
  .default(1);

/** A keyset list's opaque cursor (server/db/keyset.ts). */
export const cursorSchema = z.string().trim().max(600).optional();

/** A list's free-text search; empty means none. */
export const searchSchema = z
  .string()
  .trim()
  .max(100, "Use at most 100 characters.")
  .optional()
  .transform((v) => v || undefined);
