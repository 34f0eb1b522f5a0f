import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { RiskBadge } from "@/components/ui/risk-badge";
import { can, canGlobally } from "@/lib/permissions";
import { listScopes } from "@/server/catalog/scopes";
import { tenantPage } from "../_lib/tenant-context";
import { DeleteButton, EditScopeButton, ScopeForm } from "../agents/_components/catalog-forms";
import { CatalogTabs } from "../agents/_components/catalog-tabs";

export const metadata: Metadata = { title: "Scopes" };

export default async function ScopesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "agents.read");
  const scopes = await listScopes(caller, tenant.id);
  const canWrite = can(caller.roles, "catalog.write", tenant.id);
  const canGlobal = canGlobally(caller.roles, "catalog.write");
  return (
    <>
      <PageHeader title="Scopes" description="What agents can be allowed to do. Global scopes apply to every tenant." />
      <CatalogTabs tenantSlug={tenant.slug} current="scopes" />
      {canWrite ? (
        <Card className="mb-4">
          <ScopeForm tenantSlug={tenant.slug} canGlobal={canGlobal} />
        </Card>
      ) : null}
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        {scopes.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-muted">
            No scopes yet. Agents cannot be granted anything until there are some.
          </p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Scopes">
            <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
              <tr>
                <th className="px-5 py-2 font-medium">Scope</th>
                <th className="px-5 py-2 font-medium">Description</th>
                <th className="px-5 py-2 font-medium">Risk</th>
                <th className="px-5 py-2 font-medium">Where</th>
                <th className="px-5 py-2 font-medium">In roles</th>
                <th className="px-5 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {scopes.map((s) => (
                <tr key={s.id}>
                  <td className="px-5 py-2.5">
                    <code className="font-mono text-xs">{s.name}</code>
                  </td>
                  <td className="px-5 py-2.5 text-slate-600 dark:text-slate-400">{s.description}</td>
                  <td className="px-5 py-2.5">
                    <RiskBadge risk={s.risk} />
                  </td>
                  <td className="px-5 py-2.5">{s.global ? "Global" : tenant.name}</td>
                  <td className="px-5 py-2.5">{s.roleCount}</td>
                  <td className="px-5 py-2.5 text-right whitespace-nowrap">
                    {(s.global ? canGlobal : canWrite) ? (
                      <span className="inline-flex gap-1">
                        <EditScopeButton scope={s} />
                        <DeleteButton kind="scope" id={s.id} name={s.name} />
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
