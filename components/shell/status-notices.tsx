import { SearchX, ShieldAlert } from "lucide-react";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// The words of the 403 and 404 pages, shared by the root pages (no tenant, no shell) and the
// tenant's own (inside the console shell, its navigation still there).

export function ForbiddenNotice({ backHref = "/" }: { backHref?: string }) {
  return (
    <EmptyState
      icon={ShieldAlert}
      title="403 · Your role does not open this page"
      action={
        <Link href={backHref} className={buttonClass("secondary")}>
          Back to the overview
        </Link>
      }
    >
      You are signed in, but your role in this tenant does not include this section. Ask a tenant owner or a security
      admin if you need it.
    </EmptyState>
  );
}

export function NotFoundNotice({ backHref = "/" }: { backHref?: string }) {
  return (
    <EmptyState
      icon={SearchX}
      title="404 · Not found"
      action={
        <Link href={backHref} className={buttonClass("secondary")}>
          Back to the overview
        </Link>
      }
    >
      There is nothing at this address, or you do not have access to it.
    </EmptyState>
  );
}
