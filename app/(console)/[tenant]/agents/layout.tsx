import type { ReactNode } from "react";
import { tenantPage } from "../_lib/tenant-context";

// The agent registry opens to whoever reads the tenant: the list checks agents.read in its own
// layout (before its loading skeleton streams: once a response has begun, its 403 or 404 can no
// longer be set), and an agent's pages let its owners in whatever their role.
export default async function AgentsLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  await tenantPage(params, "tenant.read");
  return children;
}
