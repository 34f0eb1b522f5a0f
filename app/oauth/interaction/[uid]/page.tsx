import { ShieldCheck, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Logo } from "@/components/ui/logo";
import { RiskBadge } from "@/components/ui/risk-badge";
import { NotFoundError } from "@/lib/errors";
import { getCaller } from "@/server/auth/session";
import { prisma } from "@/server/db";
import { type ConsentRequest, consentRequest } from "@/server/oauth/consent";

export const metadata: Metadata = { title: "Allow an agent to act for you" };

// The consent page: an agent asked to act for the signed-in person. Its form posts to the
// authorization server (server/oauth/interaction.ts), never to a server action, because the
// answer must carry the browser's interaction cookie.
export default async function ConsentPage({
  params,
  searchParams,
}: {
  params: Promise<{ uid: string }>;
  searchParams: Promise<{ tenant?: string | string[] }>;
}) {
  const { uid } = await params;
  const { tenant: tenantParam } = await searchParams;
  const caller = await getCaller();
  if (!caller) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/oauth/interaction/${uid}`)}`);
  let request: ConsentRequest;
  try {
    request = await consentRequest(
      await prisma(),
      caller,
      uid,
      typeof tenantParam === "string" ? tenantParam : undefined,
    );
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const action = `/oauth/interaction/${uid}`;
  return (
    <main className="grid min-h-screen place-items-center px-4 py-12">
      <div className="w-full max-w-lg">
        <div className="mb-6 flex justify-center">
          <Logo className="text-xl" />
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <div className="flex items-start gap-3">
            <ShieldCheck className="mt-0.5 size-6 shrink-0 text-indigo-600" aria-hidden />
            <div>
              <h1 className="text-lg font-semibold text-slate-900 dark:text-slate-100">
                Allow {request.agent.name} to act for you?
              </h1>
              <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                Signed in as {caller.email}. The agent will act on your behalf in {request.tenant.name}, with only the
                permissions you approve below, until you revoke them.
              </p>
            </div>
          </div>

          <dl className="mt-5 grid grid-cols-[8rem_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-muted">Agent</dt>
            <dd className="text-slate-900 dark:text-slate-100">
              {request.agent.name}
              {request.agent.description && <span className="block text-muted">{request.agent.description}</span>}
            </dd>
            <dt className="text-muted">{request.client ? "Let in by" : "Accountable owner"}</dt>
            <dd className="text-slate-900 dark:text-slate-100">
              {request.owner.name} <span className="text-muted">({request.owner.email})</span>
            </dd>
            {request.client ? (
              <>
                <dt className="text-muted">Client ID</dt>
                <dd className="break-all font-mono text-xs text-slate-700 dark:text-slate-300">
                  {request.client.clientId}
                </dd>
                <dt className="text-muted">Identified by</dt>
                <dd className="text-slate-900 dark:text-slate-100" data-testid="client-source">
                  {request.client.source === "metadata_document"
                    ? `its metadata document, fetched from ${hostOf(request.client.clientId)} on ${formatted(request.client.at)}`
                    : `dynamic registration on ${formatted(request.client.at)}`}
                  <span className="block text-muted">Mandate did not register this client; it describes itself.</span>
                </dd>
                <dt className="text-muted">Standing</dt>
                <dd className="text-slate-900 dark:text-slate-100" data-testid="client-approval">
                  {STANDING[request.client.approval]}
                </dd>
              </>
            ) : null}
            <dt className="text-muted">Tenant</dt>
            <dd className="text-slate-900 dark:text-slate-100">{request.tenant.name}</dd>
            {request.redirectUri && (
              <>
                <dt className="text-muted">Returns to</dt>
                <dd className="break-all font-mono text-xs text-slate-700 dark:text-slate-300">
                  {request.redirectUri}
                </dd>
              </>
            )}
          </dl>

          {request.refusal ? (
            <div className="mt-5 flex gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              <TriangleAlert className="size-4 shrink-0" aria-hidden />
              <p role="alert">{request.refusal}</p>
            </div>
          ) : null}

          {request.client && request.client.tenants.length > 1 ? (
            <form method="get" className="mt-5 flex items-end gap-2">
              <label className="flex-1 text-sm">
                <span className="font-medium text-slate-900 dark:text-slate-100">Let it into</span>
                <select
                  name="tenant"
                  defaultValue={request.tenant.slug}
                  className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
                >
                  {request.client.tenants.map((t) => (
                    <option key={t.id} value={t.slug}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className={buttonClass("secondary")}>
                Switch tenant
              </button>
            </form>
          ) : null}

          <form method="post" action={`${action}/confirm`} className="mt-5">
            {request.client ? <input type="hidden" name="tenant" value={request.tenant.id} /> : null}
            <fieldset disabled={!!request.refusal}>
              <legend className="text-sm font-medium text-slate-900 dark:text-slate-100">Permissions requested</legend>
              {request.scopes.length === 0 ? (
                <p className="mt-2 text-sm text-slate-600">The agent asks for no specific permissions.</p>
              ) : (
                <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
                  {request.scopes.map((scope) => (
                    <li key={scope.name}>
                      <label className="flex cursor-pointer items-start gap-3 p-3">
                        <input
                          type="checkbox"
                          name="scope"
                          value={scope.name}
                          defaultChecked
                          className="mt-1 size-4 rounded border-slate-300 text-indigo-600"
                        />
                        <span className="min-w-0 flex-1">
                          <span className="flex items-center gap-2">
                            <code className="text-sm font-medium text-slate-900 dark:text-slate-100">{scope.name}</code>
                            <RiskBadge risk={scope.risk.toLowerCase() as "low" | "medium" | "high"} />
                          </span>
                          {scope.description && (
                            <span className="mt-0.5 block text-sm text-slate-600 dark:text-slate-400">
                              {scope.description}
                            </span>
                          )}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
              {request.unavailable.length > 0 && (
                <p className="mt-2 text-xs text-muted">
                  {request.client
                    ? `Also requested, but not open to this client in ${request.tenant.name} and never granted: `
                    : "Also requested, but outside this agent's roles and never granted: "}
                  {request.unavailable.join(", ")}
                </p>
              )}
            </fieldset>
            <div className="mt-6 flex justify-end gap-3">
              <button type="submit" formAction={`${action}/abort`} className={buttonClass("secondary")}>
                Refuse
              </button>
              {!request.refusal && (
                <button type="submit" className={buttonClass("primary")}>
                  Allow
                </button>
              )}
            </div>
          </form>
        </div>
      </div>
    </main>
  );
}

const STANDING = {
  new: "New to this tenant: until an owner approves it, it may only get the scopes the tenant opened to unapproved clients.",
  pending: "Awaiting approval in this tenant: it may only get the scopes the tenant opened to unapproved clients.",
  approved: "Approved in this tenant.",
  blocked: "Blocked in this tenant.",
} as const;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function formatted(at: Date): string {
  return `${at.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}
