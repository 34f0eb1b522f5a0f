import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** A filter of the toolbar: one URL parameter, chosen from a list. */
export interface FilterDef {
  param: string;
  label: string;
  options: { value: string; label: string }[];
  /** What the list shows without this filter (default "<label>: all"). */
  emptyLabel?: string;
}

/** What an empty list says (a filtered one says that nothing matches instead). */
export interface EmptyDef {
  icon: LucideIcon;
  message: ReactNode;
  /** A link to make the first one, after the message. */
  action?: { href: string; label: string };
}

/** Sets URL parameters (useUrlState's `set`). */
export type SetParams = (updates: Record<string, string | null | undefined>, options?: { resetPage?: boolean }) => void;

declare module "@tanstack/react-table" {
  interface ColumnMeta<TData, TValue> {
    /** The column sorts the list by this key (the URL's `sort`). */
    sortKey?: string;
    headerClassName?: string;
    _?: [TData, TValue];
  }
}
