"use client";

import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type RowSelectionState,
  useReactTable,
} from "@tanstack/react-table";
import clsx from "clsx";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Columns3, Search, X } from "lucide-react";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { PAGE_SIZES } from "@/lib/schemas/pagination";
import { useUrlState } from "./use-url-state";

export interface FilterDef {
  param: string;
  label: string;
  options: { value: string; label: string }[];
  /** What the list shows without this filter (default "<label>: all"). */
  emptyLabel?: string;
}

export interface DataTableProps<T extends { id: string }> {
  /** Feature tables supply these; column ids double as sort keys when `meta.sortKey` is set. */
  columns: ColumnDef<T, unknown>[];
  rows: T[];
  /** Offset pages: the page shown. Cursor pages (`cursors`) have no page number. */
  page?: number;
  total: number;
  /** The total is a lower bound: there are more rows than were counted. */
  totalCapped?: boolean;
  /** Cursor pages: the opaque cursors of the pages before and after this one. */
  cursors?: { prev: string | null; next: string | null };
  pageSize: number;
  sort: string;
  dir: "asc" | "desc";
  filters?: FilterDef[];
  searchPlaceholder?: string;
  /** Lists without a text search leave the box out. */
  searchable?: boolean;
  /** More controls in the filter bar (date ranges, downloads), before the column chooser. */
  toolbar?: ReactNode;
  /** Shown above the table when rows are selected. */
  bulkActions?: (selected: T[], clear: () => void) => ReactNode;
  empty: ReactNode;
  label: string;
}

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    sortKey?: string;
    headerClassName?: string;
    _?: [TData, TValue];
  }
}

/**
 * The one table: server-side pagination (offset pages with a total, or cursor pages for lists
 * that grow to millions of rows), sorting, filtering and search, all in the URL; column
 * visibility; row selection for bulk actions; a skeleton while the next page loads.
 */
export function DataTable<T extends { id: string }>(props: DataTableProps<T>) {
  const { columns, rows, total, page = 1, pageSize, sort, dir, filters = [], bulkActions, empty, label } = props;
  const { cursors, totalCapped } = props;
  const { params, set, pending } = useUrlState();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const hidden = useMemo(() => new Set((params.get("hide") ?? "").split(",").filter(Boolean)), [params]);
  const [search, setSearch] = useState(params.get("q") ?? "");

  // A new page of rows clears the selection: ids on screen are what bulk actions act on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rows is the trigger, not an input
  useEffect(() => setSelection({}), [rows]);
  useEffect(() => {
    const current = params.get("q") ?? "";
    if (search === current) return;
    const t = setTimeout(() => set({ q: search }), 300);
    return () => clearTimeout(t);
  }, [search, params, set]);

  const selectable = !!bulkActions;
  const allColumns = useMemo<ColumnDef<T, unknown>[]>(
    () =>
      selectable
        ? [
            {
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
            },
            ...columns,
          ]
        : columns,
    [columns, selectable],
  );

  const table = useReactTable({
    data: rows,
    columns: allColumns,
    getRowId: (row) => row.id,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    rowCount: total,
    enableRowSelection: selectable,
    state: {
      rowSelection: selection,
      columnVisibility: Object.fromEntries([...hidden].map((id) => [id, false])),
    },
    onRowSelectionChange: setSelection,
  });

  const selected = table.getSelectedRowModel().rows.map((r) => r.original);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filtered = filters.some((f) => params.get(f.param)) || !!params.get("q");
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  function toggleSort(key: string) {
    if (sort !== key) set({ sort: key, dir: "asc" });
    else set({ sort: key, dir: dir === "asc" ? "desc" : "asc" });
  }

  return (
    <div className="space-y-3">
      <search className="flex flex-wrap items-center gap-2" aria-label={`Filter ${label}`}>
        {props.searchable === false ? null : (
          <label className="relative">
            <span className="sr-only">Search</span>
            <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-slate-400" aria-hidden />
            <input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder={props.searchPlaceholder ?? "Search"}
              className="w-56 rounded-md bg-white py-2 pr-3 pl-8 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700"
            />
          </label>
        )}
        {filters.map((f) => (
          <label key={f.param} className="text-sm">
            <span className="sr-only">{f.label}</span>
            <select
              aria-label={f.label}
              value={params.get(f.param) ?? ""}
              onChange={(e) => set({ [f.param]: e.target.value })}
              className="max-w-52 rounded-md bg-white py-2 pr-8 pl-3 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700"
            >
              <option value="">{f.emptyLabel ?? `${f.label}: all`}</option>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        {filtered ? (
          <button
            type="button"
            onClick={() => {
              setSearch("");
              set(Object.fromEntries([...filters.map((f) => [f.param, null]), ["q", null]]));
            }}
            className="inline-flex items-center gap-1 rounded-md px-2 py-2 text-sm text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
          >
            <X className="size-4" aria-hidden /> Clear filters
          </button>
        ) : null}
        {props.toolbar}
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
                    onChange={() => {
                      const next = new Set(hidden);
                      if (next.has(c.id)) next.delete(c.id);
                      else next.add(c.id);
                      set({ hide: [...next].join(",") }, { resetPage: false });
                    }}
                  />
                  {typeof c.columnDef.header === "string" ? c.columnDef.header : c.id}
                </label>
              ))}
          </div>
        </details>
      </search>

      {selected.length > 0 && bulkActions ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-4 py-2 text-sm text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100">
          <span data-testid="selection-count">{selected.length} selected</span>
          {bulkActions(selected, () => setSelection({}))}
        </div>
      ) : null}

      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-label={label} aria-busy={pending}>
          <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const key = header.column.columnDef.meta?.sortKey;
                  const active = key && key === sort;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
                      className={clsx(
                        "px-3 py-2 font-medium whitespace-nowrap",
                        header.column.columnDef.meta?.headerClassName,
                      )}
                    >
                      {key ? (
                        <button
                          type="button"
                          onClick={() => toggleSort(key)}
                          className="inline-flex items-center gap-1 uppercase hover:text-slate-900 dark:hover:text-slate-100"
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
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
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className={clsx("divide-y divide-slate-100 dark:divide-slate-800", pending && "opacity-50")}>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={table.getVisibleLeafColumns().length} className="px-4 py-12 text-center">
                  {filtered ? (
                    <p className="text-sm text-slate-600 dark:text-slate-400">Nothing matches these filters.</p>
                  ) : (
                    empty
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

      <nav
        className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600 dark:text-slate-400"
        aria-label="Pagination"
      >
        <p>
          {total === 0
            ? "No results"
            : cursors
              ? `${rows.length.toLocaleString("en")} shown of ${totalCapped ? "more than " : ""}${total.toLocaleString("en")}`
              : `${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${total.toLocaleString("en")}`}
        </p>
        <div className="flex items-center gap-3">
          <label className="flex items-center gap-2">
            Rows per page
            <select
              value={pageSize}
              onChange={(e) => set({ page_size: e.target.value })}
              className="rounded-md bg-white py-1 pr-7 pl-2 ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          {cursors ? null : (
            <span>
              Page {page.toLocaleString("en")} of {pages.toLocaleString("en")}
            </span>
          )}
          <button
            type="button"
            aria-label="Previous page"
            disabled={cursors ? !cursors.prev : page <= 1}
            onClick={() =>
              cursors
                ? set({ cursor: cursors.prev }, { resetPage: false })
                : set({ page: String(page - 1) }, { resetPage: false })
            }
            className="rounded-md p-1.5 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-40 dark:ring-slate-700 dark:hover:bg-slate-800"
          >
            <ChevronLeft className="size-4" aria-hidden />
          </button>
          <button
            type="button"
            aria-label="Next page"
            disabled={cursors ? !cursors.next : page >= pages}
            onClick={() =>
              cursors
                ? set({ cursor: cursors.next }, { resetPage: false })
                : set({ page: String(page + 1) }, { resetPage: false })
            }
            className="rounded-md p-1.5 ring-1 ring-slate-300 hover:bg-slate-50 disabled:opacity-40 dark:ring-slate-700 dark:hover:bg-slate-800"
          >
            <ChevronRight className="size-4" aria-hidden />
          </button>
        </div>
      </nav>
    </div>
  );
}
