/** The event's page while it loads: its heading and two columns of cards. */
export default function Loading() {
  return (
    <div className="animate-pulse" aria-busy="true" role="status">
      <span className="sr-only">Loading</span>
      <div className="mb-2 h-4 w-40 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="mb-6 h-8 w-64 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="grid gap-6 xl:grid-cols-[3fr_2fr]">
        <div className="h-80 rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" />
        <div className="h-56 rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" />
      </div>
    </div>
  );
}
