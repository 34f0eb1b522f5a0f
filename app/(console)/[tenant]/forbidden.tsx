"use client";

import { useParams } from "next/navigation";
import { ForbiddenNotice } from "@/components/shell/status-notices";

// A page the caller's role does not open, rendered inside the console shell so the sections they
// may open are still at hand.
export default function TenantForbidden() {
  const { tenant } = useParams<{ tenant: string }>();
  return (
    <>
      <title>Forbidden · Mandate</title>
      <h1 className="sr-only">Forbidden</h1>
      <ForbiddenNotice backHref={`/${tenant}`} />
    </>
  );
}
