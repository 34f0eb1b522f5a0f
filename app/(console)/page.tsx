import { Building2 } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { UserMenu } from "@/components/shell/user-menu";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Logo } from "@/components/ui/logo";
import { canGlobally, ROLE_LABELS } from "@/lib/permissions";
import { requireCaller } from "@/server/auth/session";
import { listVisibleTenants } from "@/server/tenants/list-tenants";
import { FirstTenantForm } from "./_components/first-tenant";

export const metadata: Metadata = { title: "Welcome" };

export default async function Home() {
  const caller = await requireCaller();
  const tenants = await listVisibleTenants(caller);
  if (tenants.length > 0) redirect(`/${tenants[0].slug}`);
  const firstRun = canGlobally(caller.roles, "tenants.manage");
  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
        <Logo className="text-lg" />
        <UserMenu
          name={caller.name}
          email={caller.email}
          role={caller.roles.global ? ROLE_LABELS[caller.roles.global] : "No role yet"}
        />
      </header>
      <main className="mx-auto max-w-xl px-6 py-16">
        {firstRun ? (
          <>
            <h1 className="text-2xl font-semibold tracking-tight">Create your first tenant</h1>
            <p className="mt-2 mb-6 text-sm text-slate-600 dark:text-slate-400">
              A tenant is a business unit with its own agents, owners and grants. Create one, then invite its owner and
              the people who work with its agents from its People page.
            </p>
            <Card>
              <FirstTenantForm />
            </Card>
          </>
        ) : (
          <EmptyState icon={Building2} title="You are not in any tenant yet">
            Signed in as {caller.email}. A security admin or a tenant owner has to add you to a tenant before there is
            anything to see here.
          </EmptyState>
        )}
      </main>
    </div>
  );
}
