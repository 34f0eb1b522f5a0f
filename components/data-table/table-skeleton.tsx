/** What a table looks like while its first page loads. */
export function TableSkeleton({ rows = 8, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div className="animate-pulse space-y-3" aria-busy="true" role="status">
      <span className="sr-only">Loading</span>
      <div className="flex gap-2">
        <div className="h-9 w-56 rounded-md bg-slate-200 dark:bg-slate-800" />
        <div className="h-9 w-32 rounded-md bg-slate-200 dark:bg-slate-800" />
        <div className="h-9 w-32 rounded-md bg-slate-200 dark:bg-slate-800" />
      </div>
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        {Array.from({ length: rows }, (_, r) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
          <div key={r} className="flex gap-6 border-b border-slate-100 px-4 py-3 last:border-0 dark:border-slate-800">
            {Array.from({ length: columns }, (_, c) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
              <div key={c} className="h-4 flex-1 rounded bg-slate-100 dark:bg-slate-800" />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
