"use client";

import type { Table } from "@tanstack/react-table";
import { Columns3 } from "lucide-react";
import type { SetParams } from "./types";

/** Which columns show, kept in the URL's `hide` (a shared link shows the same columns). */
export function ColumnChooser<T>({ table, hidden, set }: { table: Table<T>; hidden: Set<string>; set: SetParams }) {
  function toggle(id: string) {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set({ hide: [...next].join(",") }, { resetPage: false });
  }

  return (
    <details className="relative ml-auto">
      <summary className="flex cursor-pointer list-none items-center gap-1.5 rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 hover:bg-slate-50 dark:ring-slate-700 dark:hover:bg-slate-800">
        <Columns3 className="size-4" aria-hidden /> Columns
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-48 rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
        {table
          .getAllLeafColumns()
          .filter((c) => c.getCanHide())
          .map((c) => (
            <label
              key={c.id}
              className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50 dark:hover:bg-slate-800"
            >
              <input
                type="checkbox"
                className="accent-indigo-600"
                checked={!hidden.has(c.id)}
                onChange={() => toggle(c.id)}
              />
              {typeof c.columnDef.header === "string" ? c.columnDef.header : c.id}
            </label>
          ))}
      </div>
    </details>
  );
}
