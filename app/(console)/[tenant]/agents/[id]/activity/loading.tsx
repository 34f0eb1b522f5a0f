/** The activity chart's frame while its numbers load. */
export default function Loading() {
  return (
    <div role="status" aria-busy="true" className="h-80 animate-pulse rounded-xl bg-slate-100 dark:bg-slate-800">
      <span className="sr-only">Loading</span>
    </div>
  );
}
