import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can, canGlobally } from "@/lib/permissions";
import { auditListSchema } from "@/lib/schemas/audit";
import { withoutInvalid } from "@/lib/validation";
import { auditActorChoices, listAuditEvents } from "@/server/audit-log/events";
import { tenantPage } from "../../_lib/tenant-context";
import { AuditTable } from "../_components/audit-table";
import { auditFiltersFromUrl } from "../_lib";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { caller, tenant } = await tenantPage(params, "audit.read");
  const search = await searchParams;
  const paging = withoutInvalid(auditListSchema.pick({ cursor: true, page_size: true }), {
    cursor: search.cursor,
    page_size: search.page_size,
  });
  const [page, choices] = await Promise.all([
    listAuditEvents(caller, { ...auditFiltersFromUrl(caller, tenant.id, search), ...paging }),
    auditActorChoices(caller, tenant.id),
  ]);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what, on whose behalf, under which authority, and whether it was allowed. Every event is chained to the one before it; the database refuses to change any."
      />
      <AuditTable
        tenantSlug={tenant.slug}
        rows={page.rows.map((r) => ({
          id: r.id,
          seq: r.seq,
          occurredAt: r.occurredAt.toISOString(),
          tenant: r.tenant,
          actor: r.actor,
          onBehalfOf: r.onBehalfOf,
          onBehalfOfName: r.onBehalfOfName,
          action: r.action,
          target: r.target,
          outcome: r.outcome,
        }))}
        now={new Date().toISOString()}
        searchBroad={page.searchBroad}
        total={page.total}
        totalCapped={page.totalCapped}
        cursors={{ prev: page.prevCursor, next: page.nextCursor }}
        pageSize={page.query.page_size}
        choices={{ ...choices, clients: choices.clients.map((c) => ({ id: c.id, name: c.name })) }}
        canExport={can(caller.roles, "audit.export", tenant.id)}
        canVerify={canGlobally(caller.roles, "audit.read")}
        global={canGlobally(caller.roles, "audit.read")}
      />
    </>
  );
}
