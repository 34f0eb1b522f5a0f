import { FileCode2 } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { tenantPage } from "../_lib/tenant-context";

export const metadata: Metadata = { title: "Policies" };

export default async function PoliciesPage({ params }: { params: Promise<{ tenant: string }> }) {
  await tenantPage(params, "policies.read");
  return (
    <>
      <PageHeader
        title="Policies"
        description="Cedar policies that decide, before every consequential action, whether it may happen now."
      />
      <EmptyState icon={FileCode2} title="No policies yet">
        Without a permitting policy every action is denied. Writing, simulating and versioning Cedar policies is not
        available in this version yet.
      </EmptyState>
    </>
  );
}
