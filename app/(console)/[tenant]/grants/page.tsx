import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/permissions";
import { grantListSchema } from "@/lib/schemas/grants";
import { withoutInvalid } from "@/lib/validation";
import { grantFilterChoices, listGrants } from "@/server/grants/list-grants";
import { tenantPage } from "../_lib/tenant-context";
import { GrantsTable } from "./_components/grants-table";

export const metadata: Metadata = { title: "Grants" };

export default async function GrantsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant } = await tenantPage(params, "grants.read_own");
  const everyone = can(caller.roles, "grants.read", tenant.id);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // The tenant is the URL's; members see only their own grants whatever the link says.
  const input = { ...withoutInvalid(grantListSchema, raw), tenant: tenant.id, ...(everyone ? {} : { mine: "true" }) };
  const [page, choices] = await Promise.all([listGrants(caller, input), grantFilterChoices(caller, tenant.id)]);
  const filteredUser = page.query.user
    ? (choices.users.find((u) => u.id === page.query.user) ??
      page.rows.find((r) => r.user.id === page.query.user)?.user)
    : undefined;
  return (
    <>
      <PageHeader
        title={everyone ? "Grants" : "My connected agents"}
        description={
          everyone
            ? `Every agent × user grant in ${tenant.name}: what each agent may do for whom, and whether its tokens are live.`
            : "Agents you have allowed to act for you, and what each may do. Revoke one and its tokens stop working at once."
        }
      />
      <GrantsTable
        tenantSlug={tenant.slug}
        me={caller.id}
        everyone={everyone}
        canRevokeAny={can(caller.roles, "grants.revoke", tenant.id)}
        canRevokeOwn={can(caller.roles, "grants.revoke_own", tenant.id)}
        page={page}
        choices={choices}
        filteredUser={filteredUser ? { id: filteredUser.id, name: filteredUser.name } : null}
        now={new Date()}
      />
    </>
  );
}
