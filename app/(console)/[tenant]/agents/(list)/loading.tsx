import { TableSkeleton } from "@/components/data-table/table-skeleton";

export default function Loading() {
  return (
    <div>
      <div className="mb-6 h-8 w-40 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <TableSkeleton columns={6} />
    </div>
  );
}
