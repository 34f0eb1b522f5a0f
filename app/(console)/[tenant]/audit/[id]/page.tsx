import clsx from "clsx";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { LineDiffTable } from "@/components/ui/line-diff-table";
import { env } from "@/lib/env";
import { formatAgo } from "@/lib/format";
import { diffLines } from "@/lib/line-diff";
import { can } from "@/lib/permissions";
import { AUDIT_ACTIONS } from "@/lib/schemas/audit";
import { getAuditEvent } from "@/server/audit-log/events";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { ACTOR_TYPES, Outcome, targetTypeLabel } from "../_components/event-parts";

export const metadata: Metadata = { title: "Audit event" };

/** A labelled value; `copy` adds a button that copies it; `stacked` puts the label above (narrow cards). */
function Field({
  label,
  children,
  copy,
  stacked,
}: {
  label: string;
  children: ReactNode;
  copy?: string | null;
  stacked?: boolean;
}) {
  return (
    <div className={clsx("grid grid-cols-1 gap-1 py-2.5", !stacked && "sm:grid-cols-[10rem_1fr] sm:gap-4")}>
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="flex min-w-0 items-start gap-1 text-sm break-words">
        <div className="min-w-0 flex-1">{children}</div>
        {copy ? <CopyButton value={copy} label={`Copy the ${label.toLowerCase()}`} compact /> : null}
      </dd>
    </div>
  );
}

const Id = ({ children }: { children: ReactNode }) => (
  <code className="font-mono text-xs break-all text-slate-600 dark:text-slate-300">{children}</code>
);
const None = () => <span className="text-muted">—</span>;

export default async function AuditEventPage({ params }: { params: Promise<{ tenant: string; id: string }> }) {
  const { caller, tenant } = await tenantPage(params, "audit.read");
  const { id } = await params;
  const event = await orRefuse(() => getAuditEvent(caller, id));
  // An event of another tenant (one the caller reads) lives at that tenant's address.
  if (event.tenant && event.tenant.id !== tenant.id) redirect(`/${event.tenant.slug}/audit/${event.id}`);

  const base = `/${tenant.slug}`;
  const occurred = event.occurredAt.toISOString();
  const data = event.data as { before?: unknown; after?: unknown } | null;
  const hasDiff = !!data && typeof data === "object" && ("before" in data || "after" in data);
  const actorType = ACTOR_TYPES[event.actor.type] ?? ACTOR_TYPES.anonymous;
  // Links to what the event is about, where the caller may open it here.
  const pageOf = (type: string | null, thingId: string | null): string | null => {
    if (!thingId) return null;
    if (type === "agent" && can(caller.roles, "agents.read", tenant.id)) return `${base}/agents/${thingId}`;
    if (type === "user" && can(caller.roles, "members.read", tenant.id)) return `${base}/people/${thingId}`;
    if (type === "policy" && can(caller.roles, "policies.read", tenant.id)) return `${base}/policies/${thingId}`;
    return null;
  };
  const named = (name: string | null, type: string | null, thingId: string | null) => {
    const href = name ? pageOf(type, thingId) : null;
    if (!name) return null;
    return href ? (
      <Link href={href} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        {name}
      </Link>
    ) : (
      <span className="font-medium">{name}</span>
    );
  };
  // The rest of the log about what this event involves: its agent, its person, its request.
  const involved = [event.target, event.actor].find((t) => (t.type === "agent" || t.type === "user") && t.id);
  const related = [
    involved?.type === "agent"
      ? { href: `${base}/audit?agent=${involved.id}`, text: "Everything by or about this agent" }
      : null,
    involved?.type === "user"
      ? { href: `${base}/audit?q=${involved.id}`, text: "Everything by or about this person" }
      : null,
    event.requestId
      ? { href: `${base}/audit?q=${encodeURIComponent(event.requestId)}`, text: "Every event of this request" }
      : null,
  ].filter((l) => l !== null);

  return (
    <>
      <nav className="mb-2 text-sm text-muted" aria-label="Breadcrumb">
        <Link href={`${base}/audit`} className="hover:underline">
          Audit log
        </Link>{" "}
        / Event #{event.seq ?? event.id}
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            {AUDIT_ACTIONS[event.action] ?? event.action}
            <Outcome outcome={event.outcome} />
          </h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            <time dateTime={occurred}>{`${occurred.replace("T", " ").replace("Z", "")} UTC`}</time> ·{" "}
            {formatAgo(occurred, new Date())} · <code className="text-xs">{event.action}</code>
          </p>
        </div>
        <CopyButton value={`${env().publicUrl}${base}/audit/${event.id}`} label="Copy link" />
      </div>

      <div className="grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="space-y-6">
          <Card>
            <h2 className="mb-1 text-sm font-semibold">What happened</h2>
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              <Field label="Actor">
                <span className="block">
                  {named(event.actor.name ?? event.actor.label, event.actor.type, event.actor.id) ?? actorType.label}
                </span>
                <span className="block text-xs text-muted">
                  {actorType.label}
                  {event.actor.name && event.actor.label && event.actor.label !== event.actor.name
                    ? ` · ${event.actor.label}`
                    : ""}
                </span>
              </Field>
              <Field label="Actor id" copy={event.actor.id}>
                {event.actor.id ? <Id>{event.actor.id}</Id> : <None />}
              </Field>
              <Field label="On behalf of" copy={event.onBehalfOf}>
                {event.onBehalfOf ? (
                  <>
                    <span className="block">
                      {named(event.onBehalfOfName, "user", event.onBehalfOf) ?? "A person no longer here"}
                    </span>
                    <Id>{event.onBehalfOf}</Id>
                  </>
                ) : (
                  <None />
                )}
              </Field>
              <Field label="Target" copy={event.target.id}>
                {event.target.type ? (
                  <>
                    <span className="block">
                      <span className="text-muted">{targetTypeLabel(event.target.type)}</span>{" "}
                      {named(event.target.name, event.target.type, event.target.id)}
                    </span>
                    {event.target.id ? <Id>{event.target.id}</Id> : null}
                  </>
                ) : (
                  <None />
                )}
              </Field>
              <Field label="Tenant">
                {event.tenant ? (
                  <>
                    {event.tenant.name} <span className="text-muted">({event.tenant.slug})</span>
                  </>
                ) : (
                  "Installation-wide"
                )}
              </Field>
              <Field label="Reason">{event.reason ?? <None />}</Field>
            </dl>
            {related.length ? (
              <div className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                {related.map((l) => (
                  <Link key={l.text} href={l.href} className="text-indigo-700 hover:underline dark:text-indigo-300">
                    {l.text}
                  </Link>
                ))}
              </div>
            ) : null}
          </Card>

          {hasDiff ? (
            <Card>
              <h2 className="mb-3 text-sm font-semibold">Before → after</h2>
              <LineDiffTable
                caption="What changed"
                diff={diffLines(
                  JSON.stringify(data?.before ?? null, null, 2),
                  JSON.stringify(data?.after ?? null, null, 2),
                )}
              />
            </Card>
          ) : null}

          <Card>
            <div className="mb-3 flex items-center justify-between gap-2">
              <h2 className="text-sm font-semibold">Recorded data</h2>
              {event.data !== null ? (
                <CopyButton value={JSON.stringify(event.data, null, 2)} label="Copy the recorded data" compact />
              ) : null}
            </div>
            <pre className="overflow-x-auto rounded-md bg-slate-50 p-3 text-xs dark:bg-slate-800">
              {JSON.stringify(event.data, null, 2) ?? "null"}
            </pre>
          </Card>
        </div>

        <div className="space-y-6">
          <Card>
            <h2 className="mb-1 text-sm font-semibold">Request</h2>
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              <Field stacked label="Request id" copy={event.requestId}>
                {event.requestId ? <Id>{event.requestId}</Id> : <None />}
              </Field>
              <Field stacked label="Source address">
                {event.ip ?? <None />}
              </Field>
              <Field stacked label="User agent">
                {event.userAgent ?? <None />}
              </Field>
            </dl>
          </Card>
          <Card>
            <h2 className="mb-1 text-sm font-semibold">Place in the chain</h2>
            <dl className="divide-y divide-slate-100 dark:divide-slate-800">
              <Field stacked label="Sequence">
                {event.seq ? `#${event.seq}` : "Not chained yet"}
              </Field>
              <Field stacked label="Event id" copy={event.id}>
                <Id>{event.id}</Id>
              </Field>
              <Field stacked label="Previous hash" copy={event.prevHash}>
                {event.prevHash ? <Id>{event.prevHash}</Id> : <None />}
              </Field>
              <Field stacked label="Hash" copy={event.hash}>
                {event.hash ? <Id>{event.hash}</Id> : <None />}
              </Field>
            </dl>
            <p className="mt-3 text-xs text-muted">
              The hash is sha256 of the previous hash, the sequence number and the event as recorded. An NDJSON export
              holding this event verifies offline with <code>npm run audit:verify -- --file</code>.
            </p>
          </Card>
        </div>
      </div>
    </>
  );
}
