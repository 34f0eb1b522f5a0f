import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { canWritePolicies } from "@/server/policies/policies";
import { tenantPage } from "../../_lib/tenant-context";
import { PolicyWorkspace } from "../_components/policy-workspace";
import { SchemaHelp } from "../_components/schema-help";
import { editorData, simulatorDefaults } from "../_lib/editor-data";

export const metadata: Metadata = { title: "New policy · Policies" };

function starterText(actions: readonly string[]): string {
  const action = actions.includes("documents.read") ? "documents.read" : actions[0];
  if (!action) return "permit (principal is Agent, action, resource);";
  return `permit (\n  principal is Agent,\n  action == Action::"${action}",\n  resource\n);`;
}

export default async function NewPolicyPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { caller, tenant } = await tenantPage(params, "policies.write");
  const data = await editorData(caller, tenant.id);
  const text = starterText(data.actions);
  return (
    <>
      <nav className="mb-2 text-sm text-muted">
        <Link href={`/${tenant.slug}/policies`} className="hover:underline">
          Policies
        </Link>{" "}
        / New
      </nav>
      <PageHeader
        title="New policy"
        description="Write it in Cedar, check it against the schema as you type, and simulate it on a real agent before you save."
      />
      <PolicyWorkspace
        tenant={{ slug: tenant.slug, name: tenant.name }}
        policy={null}
        initial={{ name: "", description: "", text, enabled: true }}
        canWrite
        canWriteGlobal={canWritePolicies(caller, null)}
        agents={data.agents}
        actions={data.actions}
        simulatorDefaults={simulatorDefaults(text, [], data.actions)}
        schemaHelp={<SchemaHelp schema={data.schema} />}
      />
    </>
  );
}
