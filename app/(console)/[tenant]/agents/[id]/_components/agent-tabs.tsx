"use client";

import { useSelectedLayoutSegment } from "next/navigation";
import { LinkTabs } from "@/components/ui/link-tabs";

export const AGENT_TABS = [
  { key: "", label: "Overview" },
  { key: "access", label: "Access" },
  { key: "credentials", label: "Credentials" },
  { key: "tokens", label: "Tokens" },
  { key: "grants", label: "Grants" },
  { key: "activity", label: "Activity" },
  { key: "audit", label: "Audit" },
] as const;

/** The agent page's tabs, each with its own URL (shareable, the back button works). */
export function AgentTabs({ base, hidden = [] }: { base: string; hidden?: string[] }) {
  const segment = useSelectedLayoutSegment() ?? "";
  return (
    <LinkTabs
      label="Agent"
      current={segment}
      tabs={AGENT_TABS.filter((t) => !hidden.includes(t.key)).map((t) => ({
        key: t.key,
        label: t.label,
        href: t.key ? `${base}/${t.key}` : base,
      }))}
    />
  );
}
