import { PlugZap } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { env } from "@/lib/env";
import { can } from "@/lib/permissions";
import { CLIENT_APPROVALS, type ClientApprovalState } from "@/lib/schemas/mcp-clients";
import { getOpenScopes, listConnectedClients } from "@/server/agents/connected-clients";
import { listScopes } from "@/server/catalog/scopes";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { SettingsTabs } from "../_components/settings-tabs";
import { McpClientsTable } from "./_components/mcp-clients-table";
import { OpenScopesForm } from "./_components/open-scopes-form";

export const metadata: Metadata = { title: "MCP clients · Settings" };

const FILTERS: { key: ClientApprovalState | "all"; label: string }[] = [
  { key: "all", label: "All" },
  { key: "pending", label: "Awaiting approval" },
  { key: "approved", label: "Approved" },
  { key: "blocked", label: "Blocked" },
];

export default async function McpClientsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<{ approval?: string; page?: string }>;
}) {
  const { caller, tenant } = await tenantPage(params, "settings.read");
  const query = await searchParams;
  const approval = (CLIENT_APPROVALS as readonly string[]).includes(query.approval ?? "")
    ? (query.approval as ClientApprovalState)
    : undefined;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(query.page ?? "1", 10) || 1));
  const [clients, open, catalog] = await Promise.all([
    orRefuse(() => listConnectedClients(caller, tenant.id, { approval, page })),
    orRefuse(() => getOpenScopes(caller, tenant.id)),
    orRefuse(() => listScopes(caller, tenant.id)),
  ]);
  const base = `/${tenant.slug}/settings/mcp-clients`;
  const href = (p: { approval?: string; page?: number }) => {
    const q = new URLSearchParams();
    if (p.approval) q.set("approval", p.approval);
    if (p.page && p.page > 1) q.set("page", String(p.page));
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  const pages = Math.max(1, Math.ceil(clients.total / clients.pageSize));
  return (
    <>
      <PageHeader
        title="MCP clients"
        description={`MCP clients that identified themselves by a client metadata document${env().DCR_ENABLED === "true" ? " or dynamic registration" : ""}, and that a person let into ${tenant.name}. Until approved, a client may only be granted the scopes opened to it below; approving it lets it be granted its roles' scopes, blocking it revokes everything it holds here.`}
      />
      <SettingsTabs tenantSlug={tenant.slug} tenantId={tenant.id} roles={caller.roles} current="mcp-clients" />
      <Card className="mb-6">
        <h2 className="text-sm font-semibold">Scopes open to unapproved clients</h2>
        <p className="mt-1 mb-3 text-sm text-slate-600 dark:text-slate-400">
          What a person may grant a client this tenant has not approved yet. Leave all unticked to grant such clients
          nothing until an owner approves them.
        </p>
        <OpenScopesForm
          tenantId={tenant.id}
          catalog={catalog.map((s) => ({ name: s.name, description: s.description, risk: s.risk }))}
          open={open.scopes}
          canWrite={can(caller.roles, "settings.write", tenant.id)}
        />
      </Card>
      <nav aria-label="Filter by approval" className="mb-3 flex flex-wrap gap-2 text-sm">
        {FILTERS.map((f) => {
          const current = (approval ?? "all") === f.key;
          return (
            <Link
              key={f.key}
              href={href({ approval: f.key === "all" ? undefined : f.key })}
              aria-current={current ? "page" : undefined}
              className={
                current
                  ? "rounded-full bg-indigo-600 px-3 py-1 font-medium text-white"
                  : "rounded-full border border-slate-200 px-3 py-1 text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:text-slate-300 dark:hover:bg-slate-800"
              }
            >
              {f.label}
            </Link>
          );
        })}
      </nav>
      {clients.rows.length === 0 ? (
        <EmptyState icon={PlugZap} title={approval ? `No ${approval} MCP clients` : "No MCP clients yet"}>
          An MCP client appears here when a person lets it act for them in {tenant.name}: it identifies itself by the
          https URL of its metadata document, and Mandate fetches and checks that document before the consent page.
        </EmptyState>
      ) : (
        <>
          <McpClientsTable
            tenantSlug={tenant.slug}
            clients={clients.rows}
            canApprove={can(caller.roles, "clients.approve", tenant.id)}
          />
          {pages > 1 ? (
            <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm text-muted">
              <span>
                Page {clients.page} of {pages} · {clients.total.toLocaleString("en")} clients
              </span>
              <span className="flex gap-3">
                {clients.page > 1 ? <Link href={href({ approval, page: clients.page - 1 })}>Previous</Link> : null}
                {clients.page < pages ? <Link href={href({ approval, page: clients.page + 1 })}>Next</Link> : null}
              </span>
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
