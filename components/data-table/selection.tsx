"use client";

import type { ColumnDef } from "@tanstack/react-table";
import type { ReactNode } from "react";

/** The checkbox column in front of a table whose rows can be selected for bulk actions. */
export function selectColumn<T>(): ColumnDef<T, unknown> {
  return {
    id: "_select",
    enableHiding: false,
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label="Select all rows on this page"
        className="size-4 accent-indigo-600"
        checked={table.getIsAllPageRowsSelected()}
        ref={(el) => {
          if (el) el.indeterminate = table.getIsSomePageRowsSelected();
        }}
        onChange={table.getToggleAllPageRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={`Select row ${row.index + 1}`}
        className="size-4 accent-indigo-600"
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  };
}

/** Above the table while rows are selected: how many, and what can be done to them. */
export function SelectionBar<T>({
  selected,
  clear,
  actions,
}: {
  selected: T[];
  clear: () => void;
  actions: (selected: T[], clear: () => void) => ReactNode;
}) {
  if (selected.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-4 py-2 text-sm text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100">
      <span data-testid="selection-count">{selected.length} selected</span>
      {actions(selected, clear)}
    </div>
  );
}
