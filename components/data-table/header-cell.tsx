"use client";

import { flexRender, type Header } from "@tanstack/react-table";
import clsx from "clsx";
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import type { Direction } from "@/lib/schemas/pagination";
import type { SetParams } from "./types";

/** A column's header; a button that sorts the list by it when the column has a sort key. */
export function HeaderCell<T>({
  header,
  sort,
  dir,
  set,
}: {
  header: Header<T, unknown>;
  sort: string;
  dir: Direction;
  set: SetParams;
}) {
  const key = header.column.columnDef.meta?.sortKey;
  const active = key && key === sort;
  const title = flexRender(header.column.columnDef.header, header.getContext());
  return (
    <th
      scope="col"
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
      className={clsx("px-3 py-2 font-medium whitespace-nowrap", header.column.columnDef.meta?.headerClassName)}
    >
      {key ? (
        <button
          type="button"
          onClick={() => set({ sort: key, dir: active && dir === "asc" ? "desc" : "asc" })}
          className="inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-slate-100"
        >
          {title}
          {active ? (
            dir === "asc" ? (
              <ArrowUp className="size-3.5" aria-hidden />
            ) : (
              <ArrowDown className="size-3.5" aria-hidden />
            )
          ) : (
            <ArrowUpDown className="size-3.5 opacity-40" aria-hidden />
          )}
        </button>
      ) : (
        title
      )}
    </th>
  );
}
