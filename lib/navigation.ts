// The console's sections, each behind the permission that opens it.
import type { Permission } from "./permissions";

export interface NavItem {
  segment: string;
  label: string;
  permission: Permission;
  icon: "overview" | "agents" | "grants" | "people" | "policies" | "approvals" | "audit" | "tenants" | "settings";
}

export const NAV_ITEMS: readonly NavItem[] = [
  { segment: "", label: "Overview", permission: "tenant.read", icon: "overview" },
  { segment: "agents", label: "Agents", permission: "agents.read", icon: "agents" },
  { segment: "grants", label: "Grants", permission: "grants.read_own", icon: "grants" },
  { segment: "people", label: "People", permission: "members.read", icon: "people" },
  { segment: "policies", label: "Policies", permission: "policies.read", icon: "policies" },
  { segment: "approvals", label: "Approvals", permission: "approvals.read", icon: "approvals" },
  { segment: "audit", label: "Audit", permission: "audit.read", icon: "audit" },
  // Installation-wide: every tenant, whichever one the console is showing.
  { segment: "tenants", label: "Tenants", permission: "tenants.manage", icon: "tenants" },
  { segment: "settings", label: "Settings", permission: "settings.read", icon: "settings" },
];

/** Settings' own pages, as tabs under the Settings section; each behind the permission that opens it. */
export interface SettingsTab {
  segment: string;
  label: string;
  permission: Permission;
}

export const SETTINGS_TABS: readonly SettingsTab[] = [
  { segment: "", label: "General", permission: "settings.read" },
  // Automation clients may hold a role in any tenant, so only those who manage users manage them.
  { segment: "automation", label: "Automation clients", permission: "users.manage" },
  // MCP clients that identified themselves (metadata documents, registration) and were let in here.
  { segment: "mcp-clients", label: "MCP clients", permission: "settings.read" },
];
