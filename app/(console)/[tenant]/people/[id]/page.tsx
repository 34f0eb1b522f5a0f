import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ForbiddenError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import { can, canGlobally } from "@/lib/permissions";
import { AUDIT_ACTIONS } from "@/lib/schemas/audit";
import { GLOBAL_ROLE_LABELS } from "@/lib/schemas/users";
import { listAuditEvents } from "@/server/audit-log/events";
import { listGrants } from "@/server/grants/list-grants";
import { getPerson } from "@/server/users/people";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { AddMemberButton } from "../_components/add-member-button";
import { DeactivatePerson, ReactivatePerson } from "./_components/deactivate-person";
import { MembershipRow } from "./_components/membership-row";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { caller } = await tenantPage(params, "members.read");
  // A refusal is a 404 (or 403) for the title too.
  const { id } = await params;
  const person = await orRefuse(() => getPerson(caller, decodeURIComponent(id)));
  return { title: `${person.name} · People` };
}

const th = "px-5 py-2 font-medium";

export default async function PersonPage({ params }: { params: Params }) {
  const { caller, tenant } = await tenantPage(params, "members.read");
  const id = decodeURIComponent((await params).id);
  const person = await orRefuse(() => getPerson(caller, id));
  const [grants, events] = await Promise.all([
    listGrants(caller, { user: person.id, status: "active", page_size: 10 }),
    listAuditEvents(caller, { actor: person.id, page_size: 10 }).catch((error) => {
      if (error instanceof ForbiddenError) return null;
      throw error;
    }),
  ]);
  const manageUsers = canGlobally(caller.roles, "users.manage");
  const isMemberHere = person.memberships.some((m) => m.tenant.id === tenant.id);
  const ownedIn = (tenantId: string) =>
    person.agents.filter((a) => a.relation === "owner" && a.tenant.id === tenantId).length;
  return (
    <>
      <PageHeader
        title={person.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            {person.email}
            {person.status === "active" ? <Badge tone="green">Active</Badge> : <Badge tone="red">Deactivated</Badge>}
            {person.globalRole ? <Badge tone="amber">{GLOBAL_ROLE_LABELS[person.globalRole]}</Badge> : null}
          </span>
        }
        actions={
          manageUsers && person.id !== caller.id ? (
            person.status === "active" ? (
              <DeactivatePerson userId={person.id} name={person.name} />
            ) : (
              <ReactivatePerson userId={person.id} name={person.name} />
            )
          ) : undefined
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-4 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-muted">Joined</dt>
          <dd>{formatUtc(person.createdAt)}</dd>
        </div>
        <div>
          <dt className="text-muted">Last sign-in</dt>
          <dd>{person.lastSignInAt ? formatUtc(person.lastSignInAt) : "Never"}</dd>
        </div>
        {person.deactivatedAt ? (
          <div>
            <dt className="text-muted">Deactivated</dt>
            <dd>{formatUtc(person.deactivatedAt)}</dd>
          </div>
        ) : null}
        {person.liveSessions !== null ? (
          <div>
            <dt className="text-muted">Console sessions</dt>
            <dd>{person.liveSessions}</dd>
          </div>
        ) : null}
      </dl>

      <section className="mb-6 overflow-hidden rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center justify-between border-b border-slate-200 px-5 py-3 dark:border-slate-800">
          <h2 className="text-sm font-semibold">Tenants and roles</h2>
          {!isMemberHere && person.status === "active" && can(caller.roles, "members.manage", tenant.id) ? (
            <AddMemberButton
              tenant={{ id: tenant.id, name: tenant.name }}
              presetUser={person.email}
              label={`Add to ${tenant.name}`}
            />
          ) : null}
        </div>
        {person.memberships.length === 0 ? (
          <p className="px-5 py-6 text-sm text-muted">
            {person.globalRole ? "Their role applies in every tenant." : "Not a member of any tenant you can see."}
          </p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs text-muted uppercase dark:bg-slate-800/50">
              <tr>
                <th scope="col" className={th}>
                  Tenant
                </th>
                <th scope="col" className={th}>
                  Role
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {person.memberships.map((m) => (
                <MembershipRow
                  key={m.tenant.id}
                  tenant={m.tenant}
                  userId={person.id}
                  personName={person.name}
                  role={m.role}
                  canManage={can(caller.roles, "members.manage", m.tenant.id) && (!person.globalRole || manageUsers)}
                  ownsAgentsThere={ownedIn(m.tenant.id)}
                />
              ))}
            </tbody>
          </table>
        )}
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 text-sm font-semibold">Agents they are accountable for</h2>
          {person.agents.length === 0 ? (
            <p className="text-sm text-muted">None.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {person.agents.map((a) => (
                <li key={a.id} className="flex items-center justify-between gap-2 py-2">
                  <Link
                    href={`/${a.tenant.slug}/agents/${a.id}`}
                    className="font-medium text-indigo-700 hover:underline dark:text-indigo-300"
                  >
                    {a.name}
                  </Link>
                  <span className="flex items-center gap-2 text-xs text-muted">
                    {a.tenant.name} · {a.relation === "owner" ? "Owner" : "Backup owner"}
                    <Badge tone={a.status === "active" ? "green" : "gray"}>{a.status}</Badge>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <div className="mb-3 flex items-center justify-between">
            <h2 className="text-sm font-semibold">Grants they gave</h2>
            {can(caller.roles, "grants.read", tenant.id) ? (
              <Link
                href={`/${tenant.slug}/grants?user=${person.id}`}
                className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
              >
                All their grants in {tenant.name}
              </Link>
            ) : null}
          </div>
          {grants.rows.length === 0 ? (
            <p className="text-sm text-muted">No live grant you can see.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {grants.rows.map((g) => (
                <li key={g.id} className="flex items-center justify-between gap-2 py-2">
                  <span className="font-medium">{g.agent.name}</span>
                  <span className="text-xs text-muted">
                    {g.tenant.name} · {g.scopes.map((s) => s.name).join(", ") || "no scopes"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      {events ? (
        <Card className="mt-6">
          <div className="mb-3 flex items-center justify-between">
            <h2 className="text-sm font-semibold">Recent activity</h2>
            <Link
              href={`/${tenant.slug}/audit?actor=${person.id}`}
              className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
            >
              All their audit events
            </Link>
          </div>
          {events.rows.length === 0 ? (
            <p className="text-sm text-muted">Nothing recorded that you can read.</p>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
              {events.rows.map((e) => (
                <li key={e.id} className="flex items-center justify-between gap-2 py-2">
                  <span>
                    {AUDIT_ACTIONS[e.action] ?? e.action}
                    {e.outcome !== "success" ? (
                      <Badge tone={e.outcome === "denied" ? "amber" : "red"}>{e.outcome}</Badge>
                    ) : null}
                  </span>
                  <time className="text-xs text-muted" dateTime={e.occurredAt.toISOString()}>
                    {formatUtc(e.occurredAt)}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}
    </>
  );
}
