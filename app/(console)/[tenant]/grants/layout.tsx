import type { ReactNode } from "react";
import { tenantPage } from "../_lib/tenant-context";

// Grants are for those who read at least their own (checked here, before the loading skeleton streams: a refusal keeps its 403 status).
export default async function Layout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  await tenantPage(params, "grants.read_own");
  return children;
}
