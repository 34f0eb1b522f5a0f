import { LinkTabs } from "@/components/ui/link-tabs";

/** People and their pending invitations, as tabs with their own URLs. */
export function PeopleTabs({
  tenantSlug,
  current,
  pending,
  showInvitations,
}: {
  tenantSlug: string;
  current: "people" | "invitations";
  pending: number;
  showInvitations: boolean;
}) {
  if (!showInvitations) return null;
  return (
    <LinkTabs
      label="People"
      current={current}
      tabs={[
        { key: "people", label: "People", href: `/${tenantSlug}/people` },
        {
          key: "invitations",
          label: "Invitations",
          href: `/${tenantSlug}/people/invitations`,
          badge: pending ? (
            <span className="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600 dark:bg-slate-800 dark:text-slate-300">
              {pending}
            </span>
          ) : undefined,
        },
      ]}
    />
  );
}
