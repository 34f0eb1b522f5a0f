"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { PAGE_SIZES, type Page } from "@/lib/schemas/pagination";
import type { SetParams } from "./types";

const n = (value: number) => value.toLocaleString("en");

/** Where the page is in the list, its size, and the way to the pages beside it (by number or by cursor). */
export function Pagination<T>({ page, set }: { page: Page<T>; set: SetParams }) {
  const { rows, total, pageSize } = page;
  const cursors = "nextCursor" in page ? page : null;
  const current = "page" in page ? page.page : 1;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (current - 1) * pageSize + 1;
  const last = Math.min(total, current * pageSize);

  return (
    <nav
      className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400"
      aria-label="Pagination"
    >
      <p>
        {total === 0
          ? "No results"
          : cursors
            ? `${n(rows.length)} shown of ${cursors.totalCapped ? "more than " : ""}${n(total)}`
            : `${n(first)}–${n(last)} of ${n(total)}`}
      </p>
      <div className="flex items-center gap-3">
        <label className="flex items-center gap-2">
          Rows per page
          <select
            value={pageSize}
            onChange={(e) => set({ page_size: e.target.value })}
            className="rounded-md bg-white py-1 pr-7 pl-2 ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
        {cursors ? null : (
          <span>
            Page {n(current)} of {n(pages)}
          </span>
        )}
        <button
          type="button"
          aria-label="Previous page"
          disabled={cursors ? !cursors.prevCursor : current <= 1}
          onClick={() =>
            set(cursors ? { cursor: cursors.prevCursor } : { page: String(current - 1) }, { resetPage: false })
          }
          className="rounded-md p-1.5 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-40 dark:ring-slate-700 dark:hover:bg-slate-800"
        >
          <ChevronLeft className="size-4" aria-hidden />
        </button>
        <button
          type="button"
          aria-label="Next page"
          disabled={cursors ? !cursors.nextCursor : current >= pages}
          onClick={() =>
            set(cursors ? { cursor: cursors.nextCursor } : { page: String(current + 1) }, { resetPage: false })
          }
          className="rounded-md p-1.5 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-40 dark:ring-slate-700 dark:hover:bg-slate-800"
        >
          <ChevronRight className="size-4" aria-hidden />
        </button>
      </div>
    </nav>
  );
}
