"use client";

import { TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// Unexpected errors inside a tenant, in the console shell: the details stay in the server log
// under the digest, never on screen.
export default function TenantError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1 className="sr-only">Error</h1>
      <EmptyState icon={TriangleAlert} title="Something went wrong" action={<Button onClick={reset}>Try again</Button>}>
        Mandate hit an unexpected error.{" "}
        {error.digest ? (
          <>
            Reference: <code>{error.digest}</code>.
          </>
        ) : null}
      </EmptyState>
    </>
  );
}
