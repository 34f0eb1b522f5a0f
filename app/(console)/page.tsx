import { Building2 } from "lucide-react";
import { redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/empty-state";
import { Logo } from "@/components/ui/logo";
import { requireCaller } from "@/server/auth/session";
import { listVisibleTenants } from "@/server/tenants/list-tenants";

export default async function Home() {
  const caller = await requireCaller();
  const tenants = await listVisibleTenants(caller);
  if (tenants.length > 0) redirect(`/${tenants[0].slug}`);
  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <Logo className="mb-8 text-lg" />
      <EmptyState icon={Building2} title="You are not in any tenant yet">
        Signed in as {caller.email}. A security admin or a tenant owner has to add you to a tenant before there is
        anything to see here.
      </EmptyState>
    </main>
  );
}
