// GET /{tenant}/audit/export?format=csv|ndjson|ocsf&<the page's filters>: the console's download,
// with the console session; the admin API's is GET /api/v1/audit/export.
import { DomainError } from "@/lib/errors";
import { withRequestMeta } from "@/server/audit/context";
import { exportAuditEvents, exportResponse } from "@/server/audit-log/export";
import { requestMeta } from "@/server/auth/request-meta";
import { getCaller } from "@/server/auth/session";
import { getTenantBySlug } from "@/server/tenants/get-tenant";
import { auditFiltersFromUrl } from "../_lib";

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const caller = await getCaller();
  if (!caller) return Response.json({ error: "unauthenticated", message: "Sign in first." }, { status: 401 });
  try {
    const tenant = await getTenantBySlug(caller, decodeURIComponent((await params).tenant));
    const search = Object.fromEntries(new URL(req.url).searchParams);
    const input = { ...auditFiltersFromUrl(caller, tenant.id, search), format: search.format };
    return exportResponse(await withRequestMeta(requestMeta(req.headers), () => exportAuditEvents(caller, input)));
  } catch (error) {
    if (error instanceof DomainError) {
      return Response.json(
        { error: error.code, message: error.message, details: error.details },
        { status: error.status },
      );
    }
    throw error;
  }
}
