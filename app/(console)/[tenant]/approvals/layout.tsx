import { forbidden } from "next/navigation";
import type { ReactNode } from "react";
import { can } from "@/lib/permissions";
import { ownsAgentsIn } from "@/server/agents/list-agents";
import { tenantContext } from "../_lib/tenant-context";

// Open to approvals.read, and to the owners of the tenant's agents (for their agents' requests,
// which is all listApprovals shows them). Checked here, before the loading skeleton streams: a
// refusal keeps its 403 status.
export default async function ApprovalsLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string }>;
}) {
  const { caller, tenant } = await tenantContext((await params).tenant);
  if (!can(caller.roles, "approvals.read", tenant.id) && !(await ownsAgentsIn(caller, tenant.id))) forbidden();
  return children;
}
