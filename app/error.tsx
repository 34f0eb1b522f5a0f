"use client";

import { TriangleAlert } from "lucide-react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";

// Unexpected errors: the details stay in the server log under the digest, never on screen.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-6 py-24">
      <EmptyState icon={TriangleAlert} title="Something went wrong" action={<Button onClick={reset}>Try again</Button>}>
        Mandate hit an unexpected error.{" "}
        {error.digest ? (
          <>
            Reference: <code>{error.digest}</code>.
          </>
        ) : null}
      </EmptyState>
    </main>
  );
}
