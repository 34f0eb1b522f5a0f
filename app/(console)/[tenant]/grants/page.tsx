import { KeyRound } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/permissions";
import { tenantPage } from "../_lib/tenant-context";

export const metadata: Metadata = { title: "Grants" };

export default async function GrantsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "grants.read_own");
  const everyone = can(caller.roles, "grants.read", tenant.id);
  return (
    <>
      <PageHeader
        title={everyone ? "Grants" : "My connected agents"}
        description={
          everyone ? `Every agent × user grant in ${tenant.name}.` : "Agents you have allowed to act for you."
        }
      />
      <EmptyState icon={KeyRound} title={everyone ? "No grants yet" : "You have not connected any agents"}>
        When someone consents to an agent acting on their behalf, the grant appears here with its scopes and live
        tokens, and can be revoked in one click. Consent and grants are not available in this version yet.
      </EmptyState>
    </>
  );
}
