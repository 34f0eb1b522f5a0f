import { LinkTabs } from "@/components/ui/link-tabs";

/** Agents, their roles and the scope catalog are one area of the console. */
export function CatalogTabs({ tenantSlug, current }: { tenantSlug: string; current: "agents" | "roles" | "scopes" }) {
  return (
    <LinkTabs
      label="Agent registry"
      current={current}
      tabs={[
        { key: "agents", label: "Agents", href: `/${tenantSlug}/agents` },
        { key: "roles", label: "Roles", href: `/${tenantSlug}/roles` },
        { key: "scopes", label: "Scopes", href: `/${tenantSlug}/scopes` },
      ]}
    />
  );
}
