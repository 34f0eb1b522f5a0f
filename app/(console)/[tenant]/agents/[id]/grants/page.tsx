import type { Metadata } from "next";
import { can } from "@/lib/permissions";
import { grantListSchema } from "@/lib/schemas/grants";
import { withoutInvalid } from "@/lib/validation";
import { grantFilterChoices, listGrants } from "@/server/grants/list-grants";
import { orRefuse } from "../../../_lib/tenant-context";
import { GrantsTable } from "../../../grants/_components/grants-table";
import { agentPage } from "../_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Grants · ${(await agentPage(params)).agent.name} · Agents` };
}

/** The people who let this agent act for them, and what each may do: the grants page, for this agent. */
export default async function AgentGrantsPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant, agent } = await agentPage(params);
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const input = { ...withoutInvalid(grantListSchema, raw), tenant: tenant.id, agent: agent.id };
  const [page, choices] = await orRefuse(() =>
    Promise.all([listGrants(caller, input), grantFilterChoices(caller, tenant.id)]),
  );
  return (
    <GrantsTable
      tenantSlug={tenant.slug}
      me={caller.id}
      everyone
      canRevokeAny={can(caller.roles, "grants.revoke", tenant.id)}
      canRevokeOwn={can(caller.roles, "grants.revoke_own", tenant.id)}
      page={page}
      choices={{ ...choices, agents: [] }}
      filteredUser={null}
      now={new Date()}
      emptyText={
        page.query.status === "active"
          ? `No one has an active grant for ${agent.name}. Revoked grants show under Status.`
          : `No one has let ${agent.name} act for them yet.`
      }
    />
  );
}
