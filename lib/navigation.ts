// The console's sections, each behind the permission that opens it.
import type { Permission } from "./permissions";

export interface NavItem {
  segment: string;
  label: string;
  permission: Permission;
  icon: "overview" | "agents" | "grants" | "policies" | "approvals" | "audit" | "settings";
}

export const NAV_ITEMS: readonly NavItem[] = [
  { segment: "", label: "Overview", permission: "tenant.read", icon: "overview" },
  { segment: "agents", label: "Agents", permission: "agents.read", icon: "agents" },
  { segment: "grants", label: "Grants", permission: "grants.read_own", icon: "grants" },
  { segment: "policies", label: "Policies", permission: "policies.read", icon: "policies" },
  { segment: "approvals", label: "Approvals", permission: "approvals.read", icon: "approvals" },
  { segment: "audit", label: "Audit", permission: "audit.read", icon: "audit" },
  { segment: "settings", label: "Settings", permission: "settings.read", icon: "settings" },
];
