import type { ReactNode } from "react";
import { tenantPage } from "../../_lib/tenant-context";

// The list is for those who read the tenant's agents (checked before the skeleton streams).
export default async function AgentListLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  await tenantPage(params, "agents.read");
  return children;
}
