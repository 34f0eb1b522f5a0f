import { LinkTabs } from "@/components/ui/link-tabs";
import type { ApprovalTab } from "../_lib/load-approvals";

/** Pending (with how many wait) and Decided, as links so the tab is in the URL. */
export function ApprovalTabs({
  tenantSlug,
  current,
  pendingCount,
}: {
  tenantSlug: string;
  current: ApprovalTab;
  pendingCount: number;
}) {
  const waiting = pendingCount ? (
    <span className="rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-800 tabular-nums dark:bg-amber-900 dark:text-amber-200">
      {pendingCount}
      <span className="sr-only"> waiting</span>
    </span>
  ) : undefined;
  return (
    <LinkTabs
      label="Approval requests"
      current={current}
      tabs={[
        { key: "pending", label: "Pending", href: `/${tenantSlug}/approvals`, badge: waiting },
        { key: "decided", label: "Decided", href: `/${tenantSlug}/approvals?tab=decided` },
      ]}
    />
  );
}
