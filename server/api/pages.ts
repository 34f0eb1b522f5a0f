import "server-only";
import type { Page } from "@/lib/schemas/pagination";
import type { KeysetPage } from "../db/keyset";

// Lists as the admin API answers them: the rows under `data`, beside what pages them.

/** An offset page (entity lists with totals). */
export function offsetPage<T>({ rows, total, page, pageSize }: Page<T>) {
  return { data: rows, total, page, pageSize };
}

/** A keyset page (cursors: grants, people, invitations, the audit log). */
export function cursorPage<T>({ rows, total, totalCapped, nextCursor, prevCursor }: KeysetPage<T>) {
  return { data: rows, total, totalCapped, nextCursor, prevCursor };
}
