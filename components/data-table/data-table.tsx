"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type RowSelectionState,
  useReactTable,
} from "@tanstack/react-table";
import clsx from "clsx";
import Link from "next/link";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import type { Page } from "@/lib/schemas/pagination";
import { HeaderCell } from "./header-cell";
import { Pagination } from "./pagination";
import { SelectionBar, selectColumn } from "./selection";
import { isFiltered, Toolbar } from "./toolbar";
import type { EmptyDef, FilterDef } from "./types";
import { useUrlState } from "./use-url-state";

export type { EmptyDef, FilterDef } from "./types";

export interface DataTableProps<T extends { id: string }> {
  label: string;
  /** Feature tables supply these; a column with `meta.sortKey` sorts the list by that key. */
  columns: ColumnDef<T, unknown>[];
  /** The page as the domain returned it: its rows, total, order, and page number or cursors. */
  page: Page<T>;
  filters?: FilterDef[];
  searchPlaceholder?: string;
  /** Lists without a text search leave the box out. */
  searchable?: boolean;
  /** More controls in the filter bar (date ranges, downloads), before the column chooser. */
  toolbar?: ReactNode;
  /** Shown above the table when rows are selected. */
  bulkActions?: (selected: T[], clear: () => void) => ReactNode;
  empty: EmptyDef;
}

/**
 * The one table: server-side pagination (offset pages with a total, or cursor pages for lists
 * that grow to millions of rows), sorting, filtering and search, all in the URL; column
 * visibility; row selection for bulk actions; a dimmed page while the next one loads.
 */
export function DataTable<T extends { id: string }>(props: DataTableProps<T>) {
  const { label, columns, page, filters = [], bulkActions, empty } = props;
  const { rows } = page;
  const { params, set, pending } = useUrlState();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const hidden = useMemo(() => new Set((params.get("hide") ?? "").split(",").filter(Boolean)), [params]);

  // A new page of rows clears the selection: ids on screen are what bulk actions act on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rows is the trigger, not an input
  useEffect(() => setSelection({}), [rows]);

  const selectable = !!bulkActions;
  const allColumns = useMemo(() => (selectable ? [selectColumn<T>(), ...columns] : columns), [columns, selectable]);

  const table = useReactTable({
    data: rows,
    columns: allColumns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    rowCount: page.total,
    enableRowSelection: selectable,
    state: {
      rowSelection: selection,
      columnVisibility: Object.fromEntries([...hidden].map((id) => [id, false])),
    },
    onRowSelectionChange: setSelection,
  });

  return (
    <div className="space-y-3">
      <Toolbar
        table={table}
        label={label}
        params={params}
        set={set}
        hidden={hidden}
        filters={filters}
        searchable={props.searchable}
        searchPlaceholder={props.searchPlaceholder}
      >
        {props.toolbar}
      </Toolbar>

      {bulkActions ? (
        <SelectionBar
          selected={table.getSelectedRowModel().rows.map((r) => r.original)}
          clear={() => setSelection({})}
          actions={bulkActions}
        />
      ) : null}

      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label={label} aria-busy={pending}>
          <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <HeaderCell key={header.id} header={header} sort={page.sort} dir={page.dir} set={set} />
                ))}
              </tr>
            ))}
          </thead>
          <tbody className={clsx("divide-y divide-slate-100 dark:divide-slate-800", pending && "opacity-50")}>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={table.getVisibleLeafColumns().length} className="px-4 py-12 text-center">
                  {isFiltered(params, filters) ? (
                    <p className="text-sm text-slate-600 dark:text-slate-400">Nothing matches these filters.</p>
                  ) : (
                    <div className="flex flex-col items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
                      <empty.icon className="size-6 text-indigo-500" aria-hidden />
                      {empty.message}
                      {empty.action ? (
                        <Link
                          href={empty.action.href}
                          className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                        >
                          {empty.action.label}
                        </Link>
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr
                  key={row.id}
                  data-state={row.getIsSelected() ? "selected" : undefined}
                  className="data-[state=selected]:bg-indigo-50/60 dark:data-[state=selected]:bg-indigo-950/40"
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-2.5 align-middle">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>

      <Pagination page={page} set={set} />
    </div>
  );
}
