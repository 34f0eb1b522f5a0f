import type { ReactNode } from "react";
import { tenantPage } from "../../_lib/tenant-context";

// The list is for those who read policies (checked before the skeleton streams: a refusal keeps its 403).
export default async function Layout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  await tenantPage(params, "policies.read");
  return children;
}
