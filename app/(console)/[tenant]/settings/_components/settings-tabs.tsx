import { LinkTabs } from "@/components/ui/link-tabs";
import { SETTINGS_TABS } from "@/lib/navigation";
import { can, type RoleGrants } from "@/lib/permissions";

/** Settings' pages as tabs, each shown only to roles it opens for. */
export function SettingsTabs({
  tenantSlug,
  tenantId,
  roles,
  current,
}: {
  tenantSlug: string;
  tenantId: string;
  roles: RoleGrants;
  current: string;
}) {
  const tabs = SETTINGS_TABS.filter((t) => can(roles, t.permission, tenantId));
  if (tabs.length < 2) return null;
  return (
    <LinkTabs
      label="Settings"
      current={current}
      tabs={tabs.map((t) => ({
        key: t.segment,
        label: t.label,
        href: t.segment ? `/${tenantSlug}/settings/${t.segment}` : `/${tenantSlug}/settings`,
      }))}
    />
  );
}
