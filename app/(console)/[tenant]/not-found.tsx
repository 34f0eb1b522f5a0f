"use client";

import { useParams } from "next/navigation";
import { NotFoundNotice } from "@/components/shell/status-notices";

// Nothing here (or nothing the caller may see: the two look the same), inside the console shell.
export default function TenantNotFound() {
  const { tenant } = useParams<{ tenant: string }>();
  return (
    <>
      <title>Not found · Mandate</title>
      <h1 className="sr-only">Not found</h1>
      <NotFoundNotice backHref={`/${tenant}`} />
    </>
  );
}
