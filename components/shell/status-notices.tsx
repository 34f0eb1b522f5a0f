import { SearchX, ShieldAlert } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { OverviewLink } from "./overview-link";

// The words of the 403 and 404 pages, shared by the root pages (no tenant, no shell) and the
// tenant's own (inside the console shell, its navigation still there).

export function ForbiddenNotice() {
  return (
    <EmptyState
      icon={ShieldAlert}
      heading="h1"
      title="403 · Your role does not open this page"
      action={<OverviewLink />}
    >
      You are signed in, but your role in this tenant does not include this section. Ask a tenant owner or a security
      admin if you need it.
    </EmptyState>
  );
}

export function NotFoundNotice() {
  return (
    <EmptyState icon={SearchX} heading="h1" title="404 · Not found" action={<OverviewLink />}>
      There is nothing at this address, or you do not have access to it.
    </EmptyState>
  );
}
