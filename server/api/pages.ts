import "server-only";
import type { CursorPage } from "@/lib/schemas/pagination";

// Lists as the admin API answers them: the rows under `data`, beside what pages them.

/** An offset page (entity lists with totals). */
export function offsetPage<T>({
  rows,
  total,
  page,
  pageSize,
}: {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}) {
  return { data: rows, total, page, pageSize };
}

/** A keyset page (cursors: grants, people, invitations, the audit log). */
export function cursorPage<T>({ rows, total, totalCapped, nextCursor, prevCursor }: CursorPage<T>) {
  return { data: rows, total, totalCapped, nextCursor, prevCursor };
}
