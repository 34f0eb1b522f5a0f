import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { NotFoundError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import type { Caller } from "@/server/auth/caller";
import { canWritePolicies, getPolicy } from "@/server/policies/policies";
import { orRefuse, tenantPage } from "../../_lib/tenant-context";
import { EnableToggle } from "../_components/enable-toggle";
import { ActionList, ApprovalBadge, EffectBadge, EnabledBadge, ScopeBadge } from "../_components/policy-badges";
import { PolicyWorkspace } from "../_components/policy-workspace";
import { SchemaHelp } from "../_components/schema-help";
import { VersionHistory } from "../_components/version-history";
import { editorData, simulatorDefaults } from "../_lib/editor-data";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { caller, tenant } = await tenantPage(params, "policies.read");
  const policy = await tenantPolicy(caller, tenant.id, (await params).id);
  return { title: `${policy.name} · Policies` };
}

/** The policy the URL names, as this tenant shows it (a refusal is a 404, for the title too). */
const tenantPolicy = cache((caller: Caller, tenantId: string, id: string) =>
  orRefuse(async () => {
    const p = await getPolicy(caller, id);
    // Global policies show in every tenant; a tenant's own only under its own name.
    if (p.tenantId !== null && p.tenantId !== tenantId) throw new NotFoundError("policy");
    return p;
  }),
);

export default async function PolicyPage({ params }: { params: Params }) {
  const { caller, tenant } = await tenantPage(params, "policies.read");
  const { id } = await params;
  const policy = await tenantPolicy(caller, tenant.id, id);
  const data = await editorData(caller, tenant.id);
  const canWrite = canWritePolicies(caller, policy.tenantId);
  const global = policy.tenantId === null;
  const latest = policy.versions[0];
  return (
    <>
      <nav className="mb-2 text-sm text-muted">
        <Link href={`/${tenant.slug}/policies`} className="hover:underline">
          Policies
        </Link>{" "}
        / {policy.name}
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            {policy.name}
            <ScopeBadge tenantName={global ? null : tenant.name} />
            <EffectBadge effect={policy.effect} />
            <ApprovalBadge requiresApproval={policy.requiresApproval} />
          </h1>
          <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-slate-600 dark:text-slate-400">
            <EnabledBadge enabled={policy.enabled} />
            <span data-testid="policy-version">Version {policy.version}</span>
            <span>
              Updated {formatUtc(policy.updatedAt)}
              {latest ? ` by ${latest.createdByLabel}` : ""}
            </span>
            <span className="flex items-center gap-1.5">
              Actions: <ActionList actions={policy.actions} />
            </span>
          </div>
          {policy.description ? (
            <p className="mt-2 max-w-3xl text-sm text-slate-700 dark:text-slate-300">{policy.description}</p>
          ) : null}
          {global ? (
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
              A global policy: it applies in every tenant{canWrite ? ", and so does every change saved here" : ""}.
            </p>
          ) : null}
        </div>
        {canWrite ? (
          <EnableToggle
            policy={{ id: policy.id, name: policy.name, enabled: policy.enabled, effect: policy.effect, global }}
          />
        ) : null}
      </div>
      <PolicyWorkspace
        tenant={{ slug: tenant.slug, name: tenant.name }}
        policy={{ id: policy.id, version: policy.version }}
        initial={{ name: policy.name, description: policy.description, text: policy.text, enabled: policy.enabled }}
        canWrite={canWrite}
        canWriteGlobal={canWritePolicies(caller, null)}
        agents={data.agents}
        actions={data.actions}
        simulatorDefaults={simulatorDefaults(policy.text, policy.actions, data.actions)}
        schemaHelp={<SchemaHelp schema={data.schema} />}
      />
      <div className="mt-4">
        <VersionHistory policyId={policy.id} canWrite={canWrite} versions={policy.versions} />
      </div>
    </>
  );
}
