// GET /{tenant}/search?q=…: the command palette's results in the tenant, with the console session.
// A GET (not a server action) so that the palette can cancel a search overtaken by the next one.
import { DomainError, ServiceUnavailableError } from "@/lib/errors";
import { getCaller } from "@/server/auth/session";
import { isDatabaseUnavailable } from "@/server/db/unavailable";
import { searchConsole } from "@/server/search/search-console";
import { getTenantBySlug } from "@/server/tenants/get-tenant";

const refusal = (error: DomainError) =>
  Response.json({ error: error.code, message: error.message, details: error.details }, { status: error.status });

export async function GET(req: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const caller = await getCaller();
  if (!caller) {
    return Response.json(
      { error: "unauthenticated", message: "Your session has ended. Sign in again." },
      { status: 401 },
    );
  }
  try {
    const tenant = await getTenantBySlug(caller, decodeURIComponent((await params).tenant));
    const q = new URL(req.url).searchParams.get("q") ?? "";
    return Response.json(await searchConsole(caller, tenant.id, q), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof DomainError) return refusal(error);
    if (isDatabaseUnavailable(error)) {
      const unavailable = new ServiceUnavailableError();
      const response = refusal(unavailable);
      response.headers.set("retry-after", String(unavailable.retryAfterSeconds));
      return response;
    }
    throw error;
  }
}
