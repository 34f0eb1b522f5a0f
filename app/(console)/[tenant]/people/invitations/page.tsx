import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can, canGlobally } from "@/lib/permissions";
import { invitationListSchema } from "@/lib/schemas/users";
import { withoutInvalid } from "@/lib/validation";
import { countPendingInvitations, listInvitations } from "@/server/users/invitations";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { InvitationsTable } from "../_components/invitations-table";
import { InviteButton } from "../_components/invite-button";
import { PeopleTabs } from "../_components/people-tabs";

export const metadata: Metadata = { title: "Invitations · People" };

export default async function InvitationsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant } = await tenantPage(params, "members.read");
  const manageHere = can(caller.roles, "members.manage", tenant.id);
  const manageGlobally = canGlobally(caller.roles, "users.manage");
  // Only those who invite see invitations.
  if (!manageHere && !manageGlobally) await tenantPage(params, "members.manage");
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const input = withoutInvalid(invitationListSchema, raw);
  const [page, pending] = await Promise.all([
    orRefuse(() => listInvitations(caller, input)),
    countPendingInvitations(caller),
  ]);
  return (
    <>
      <PageHeader
        title="People"
        description="Invitations: each link works once and expires; resend one for a fresh link, or revoke it."
        actions={
          <InviteButton
            tenant={{ slug: tenant.slug, name: tenant.name }}
            canInviteHere={manageHere}
            canInviteGlobally={manageGlobally}
          />
        }
      />
      <PeopleTabs tenantSlug={tenant.slug} current="invitations" pending={pending} showInvitations />
      <InvitationsTable page={page} now={new Date()} />
    </>
  );
}
