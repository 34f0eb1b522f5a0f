import type { ReactNode } from "react";
import { tenantPage } from "../_lib/tenant-context";

// People are for those who read the tenant's members (checked here, before the loading skeleton streams: a refusal keeps its 403 status).
export default async function Layout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  await tenantPage(params, "members.read");
  return children;
}
