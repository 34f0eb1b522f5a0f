"use client";

import type { Table } from "@tanstack/react-table";
import { Search, X } from "lucide-react";
import type { ReadonlyURLSearchParams } from "next/navigation";
import { type ReactNode, useEffect, useState } from "react";
import { ColumnChooser } from "./column-chooser";
import type { FilterDef, SetParams } from "./types";

/** Whether the URL narrows the list by a filter or a search. */
export function isFiltered(params: ReadonlyURLSearchParams, filters: FilterDef[]): boolean {
  return filters.some((f) => params.get(f.param)) || !!params.get("q");
}

/** The filter bar: the search (debounced into the URL), the filters, more controls, the columns. */
export function Toolbar<T>({
  table,
  label,
  params,
  set,
  hidden,
  filters,
  searchable = true,
  searchPlaceholder = "Search",
  children,
}: {
  table: Table<T>;
  label: string;
  params: ReadonlyURLSearchParams;
  set: SetParams;
  hidden: Set<string>;
  filters: FilterDef[];
  searchable?: boolean;
  searchPlaceholder?: string;
  /** More controls (date ranges, downloads), before the column chooser. */
  children?: ReactNode;
}) {
  const [search, setSearch] = useState(params.get("q") ?? "");

  useEffect(() => {
    const current = params.get("q") ?? "";
    if (search === current) return;
    const t = setTimeout(() => set({ q: search }), 300);
    return () => clearTimeout(t);
  }, [search, params, set]);

  return (
    <search className="flex flex-wrap items-center gap-2" aria-label={`Filter ${label}`}>
      {searchable ? (
        <label className="relative">
          <span className="sr-only">Search</span>
          <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-slate-400" aria-hidden />
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder={searchPlaceholder}
            className="w-56 rounded-md bg-white py-2 pr-3 pl-8 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700"
          />
        </label>
      ) : null}
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
      {isFiltered(params, filters) ? (
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
      {children}
      <ColumnChooser table={table} hidden={hidden} set={set} />
    </search>
  );
}
