import { ShieldAlert } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24">
      <EmptyState
        icon={ShieldAlert}
        title="403 · Your role does not open this page"
        action={
          <Link href="/" className={buttonClass("secondary")}>
            Back to the console
          </Link>
        }
      >
        You are signed in, but your role in this tenant does not include this section. Ask a tenant owner or a security
        admin if you need it.
      </EmptyState>
    </main>
  );
}
