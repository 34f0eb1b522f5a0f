import type { ReactNode } from "react";
import { tenantPage } from "../_lib/tenant-context";

// The permission check for the whole audit log runs here, before a page's loading skeleton starts
// streaming: once a response has begun, its 403 or 404 status can no longer be set.
export default async function AuditLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  await tenantPage(params, "audit.read");
  return children;
}
