import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { tenantListSchema } from "@/lib/schemas/tenants";
import { withoutInvalid } from "@/lib/validation";
import { listTenants } from "@/server/tenants/manage-tenants";
import { orRefuse, tenantPage } from "../_lib/tenant-context";
import { NewTenantButton, TenantsTable } from "./_components/tenants-table";

export const metadata: Metadata = { title: "Tenants" };

export default async function TenantsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Installation-wide: every tenant, whichever one the console is showing.
  const { caller } = await tenantPage(params, "tenants.manage");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const page = await orRefuse(() => listTenants(caller, withoutInvalid(tenantListSchema, raw)));
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Every tenant of this installation, with its agents, members and live grants."
        actions={<NewTenantButton />}
      />
      <TenantsTable page={page} />
    </>
  );
}
