import type { Metadata } from "next";
import { ForbiddenNotice } from "@/components/shell/status-notices";
import { Logo } from "@/components/ui/logo";

export const metadata: Metadata = { title: "Forbidden" };

// Outside a tenant (no shell to show): the tenant's own 403 is app/(console)/[tenant]/forbidden.tsx.
export default function Forbidden() {
  return (
    <main id="main" className="mx-auto max-w-xl px-6 py-24">
      <Logo className="mb-8 text-lg" />
      <ForbiddenNotice />
    </main>
  );
}
