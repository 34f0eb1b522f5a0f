import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { can, canGlobally } from "@/lib/permissions";
import { listRoles } from "@/server/catalog/roles";
import { listScopes } from "@/server/catalog/scopes";
import { tenantPage } from "../_lib/tenant-context";
import { DeleteButton, EditRoleButton, RoleForm } from "../agents/_components/catalog-forms";
import { CatalogTabs } from "../agents/_components/catalog-tabs";

export const metadata: Metadata = { title: "Roles" };

export default async function RolesPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "agents.read");
  const [roles, scopes] = await Promise.all([listRoles(caller, tenant.id), listScopes(caller, tenant.id)]);
  const canWrite = can(caller.roles, "catalog.write", tenant.id);
  const canGlobal = canGlobally(caller.roles, "catalog.write");
  return (
    <>
      <PageHeader
        title="Roles"
        description="Named bundles of scopes. An agent may be granted the union of its roles' scopes."
      />
      <CatalogTabs tenantSlug={tenant.slug} current="roles" />
      {canWrite ? (
        <Card className="mb-4">
          <RoleForm
            tenantSlug={tenant.slug}
            scopes={scopes.map((s) => ({ id: s.id, name: s.name }))}
            canGlobal={canGlobal}
          />
        </Card>
      ) : null}
      <div className="overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        {roles.length === 0 ? (
          <p className="px-5 py-10 text-center text-sm text-muted">No roles yet.</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Roles">
            <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
              <tr>
                <th className="px-5 py-2 font-medium">Role</th>
                <th className="px-5 py-2 font-medium">Scopes</th>
                <th className="px-5 py-2 font-medium">Where</th>
                <th className="px-5 py-2 font-medium">Agents here</th>
                <th className="px-5 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {roles.map((r) => (
                <tr key={r.id}>
                  <td className="px-5 py-2.5">
                    <p className="font-medium">{r.name}</p>
                    <p className="text-xs text-muted">{r.description}</p>
                  </td>
                  <td className="px-5 py-2.5">
                    <span className="flex flex-wrap gap-1">
                      {r.scopes.map((s) => (
                        <code key={s.id} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
                          {s.name}
                        </code>
                      ))}
                    </span>
                  </td>
                  <td className="px-5 py-2.5">{r.global ? "Global" : tenant.name}</td>
                  <td className="px-5 py-2.5">{r.agentCount}</td>
                  <td className="px-5 py-2.5 text-right whitespace-nowrap">
                    {(r.global ? canGlobal : canWrite) ? (
                      <span className="inline-flex gap-1">
                        <EditRoleButton
                          tenantSlug={tenant.slug}
                          canGlobal={canGlobal}
                          scopes={scopes.filter((s) => s.global || !r.global).map((s) => ({ id: s.id, name: s.name }))}
                          role={{
                            id: r.id,
                            name: r.name,
                            description: r.description,
                            scopeIds: r.scopes.map((s) => s.id),
                          }}
                        />
                        <DeleteButton kind="role" id={r.id} name={r.name} />
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
