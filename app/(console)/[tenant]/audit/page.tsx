import { ScrollText } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { tenantPage } from "../_lib/tenant-context";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage({ params }: { params: Promise<{ tenant: string }> }) {
  await tenantPage(params, "audit.read");
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what, on whose behalf, under which authority, and whether it was allowed."
      />
      <EmptyState icon={ScrollText} title="The audit log viewer is not available yet">
        Sign-ins and changes are already being recorded. Browsing, filtering, verifying and exporting them arrives with
        the audit store.
      </EmptyState>
    </>
  );
}
