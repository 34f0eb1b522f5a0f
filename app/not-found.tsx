import type { Metadata } from "next";
import { NotFoundNotice } from "@/components/shell/status-notices";
import { Logo } from "@/components/ui/logo";

export const metadata: Metadata = { title: "Not found" };

// Outside a tenant (an unknown tenant, or one the caller may not see): no shell to show.
export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl px-6 py-24">
      <Logo className="mb-8 text-lg" />
      <NotFoundNotice />
    </main>
  );
}
