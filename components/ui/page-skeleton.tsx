import { TableSkeleton } from "@/components/data-table/table-skeleton";

/**
 * A list page while it loads: its heading, then its table (or cards). Shown by the sections'
 * loading.tsx files, whose permission checks run in a layout first: once a response streams, its
 * 403 or 404 status can no longer be set.
 */
export function PageSkeleton({
  columns = 5,
  rows = 8,
  heading = true,
  cards = 0,
}: {
  columns?: number;
  rows?: number;
  /** false under a header that stays (an agent's tabs). */
  heading?: boolean;
  /** Cards above the table (key numbers). */
  cards?: number;
}) {
  return (
    <div className="space-y-4">
      {heading ? (
        <div className="mb-6 space-y-2">
          <div className="h-8 w-40 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
          <div className="h-4 w-2/3 max-w-xl animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
        </div>
      ) : null}
      {cards ? (
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {Array.from({ length: cards }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
            <div key={i} className="h-20 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" />
          ))}
        </div>
      ) : null}
      {rows ? <TableSkeleton columns={columns} rows={rows} /> : null}
    </div>
  );
}
