import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { can, canGlobally } from "@/lib/permissions";
import { auditListSchema } from "@/lib/schemas/audit";
import { withoutInvalid } from "@/lib/validation";
import { type AuditEventRow, auditActorChoices, listAuditEvents } from "@/server/audit-log/events";
import { tenantPage } from "../../_lib/tenant-context";
import { AuditTable, type AuditTableRow } from "../_components/audit-table";
import { auditFiltersFromUrl } from "../_lib";

export const metadata: Metadata = { title: "Audit log" };

/** What the table shows of an event: its hashes, data and request details stay on its own page. */
function tableRow(e: AuditEventRow): AuditTableRow {
  const { id, seq, occurredAt, tenant, actor, onBehalfOf, onBehalfOfName, action, target, outcome } = e;
  return { id, seq, occurredAt, tenant, actor, onBehalfOf, onBehalfOfName, action, target, outcome };
}

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
        page={{ ...page, rows: page.rows.map(tableRow) }}
        now={new Date()}
        searchBroad={page.searchBroad}
        choices={{ ...choices, clients: choices.clients.map((c) => ({ id: c.id, name: c.name })) }}
        canExport={can(caller.roles, "audit.export", tenant.id)}
        canVerify={canGlobally(caller.roles, "audit.read")}
        global={canGlobally(caller.roles, "audit.read")}
      />
    </>
  );
}
