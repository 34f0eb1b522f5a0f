import { TableSkeleton } from "@/components/data-table/table-skeleton";

/** The log while its page loads: the heading and its description, the exports, the table. */
export default function Loading() {
  return (
    <div className="space-y-3">
      <div className="mb-6 space-y-2">
        <div className="h-8 w-40 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
        <div className="h-4 w-2/3 animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
      </div>
      <div className="h-8 w-80 animate-pulse rounded-md bg-slate-100 dark:bg-slate-800" />
      <TableSkeleton columns={6} rows={10} />
    </div>
  );
}
