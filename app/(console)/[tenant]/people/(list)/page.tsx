import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can, canGlobally } from "@/lib/permissions";
import { userListSchema } from "@/lib/schemas/users";
import { withoutInvalid } from "@/lib/validation";
import { listVisibleTenants } from "@/server/tenants/list-tenants";
import { countPendingInvitations } from "@/server/users/invitations";
import { listPeople } from "@/server/users/people";
import { tenantPage } from "../../_lib/tenant-context";
import { AddMemberButton } from "../_components/add-member-button";
import { InviteButton } from "../_components/invite-button";
import { PeopleTable } from "../_components/people-table";
import { PeopleTabs } from "../_components/people-tabs";

export const metadata: Metadata = { title: "People" };

export default async function PeoplePage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant } = await tenantPage(params, "members.read");
  const everyone = canGlobally(caller.roles, "users.read");
  const manageHere = can(caller.roles, "members.manage", tenant.id);
  const manageGlobally = canGlobally(caller.roles, "users.manage");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  // Those who read everyone choose a tenant or none; everyone else sees this tenant's members.
  const input = { ...withoutInvalid(userListSchema, raw), ...(everyone ? {} : { tenant: tenant.id }) };
  const [page, tenants, pending] = await Promise.all([
    listPeople(caller, input),
    everyone ? listVisibleTenants(caller) : Promise.resolve([]),
    manageHere || manageGlobally ? countPendingInvitations(caller) : Promise.resolve(0),
  ]);
  return (
    <>
      <PageHeader
        title="People"
        description={
          everyone
            ? "Everyone in this installation: who they are, the roles they hold and where."
            : `The members of ${tenant.name} and their roles.`
        }
        actions={
          manageHere || manageGlobally ? (
            <>
              {manageHere ? <AddMemberButton tenant={{ id: tenant.id, name: tenant.name }} /> : null}
              <InviteButton
                tenant={{ slug: tenant.slug, name: tenant.name }}
                canInviteHere={manageHere}
                canInviteGlobally={manageGlobally}
              />
            </>
          ) : undefined
        }
      />
      <PeopleTabs
        tenantSlug={tenant.slug}
        current="people"
        pending={pending}
        showInvitations={manageHere || manageGlobally}
      />
      <PeopleTable
        tenantSlug={tenant.slug}
        page={page}
        tenants={tenants.map((t) => ({ slug: t.slug, name: t.name }))}
        onlyTenantId={everyone ? undefined : tenant.id}
        now={new Date()}
      />
    </>
  );
}
