import { SearchX } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-6 py-24">
      <EmptyState
        icon={SearchX}
        title="Not found"
        action={
          <Link href="/" className={buttonClass("secondary")}>
            Back to the console
          </Link>
        }
      >
        There is nothing at this address, or you do not have access to it.
      </EmptyState>
    </main>
  );
}
