import type { Metadata } from "next";
import { NotFoundNotice } from "@/components/shell/status-notices";

export const metadata: Metadata = { title: "Not found" };

// Nothing here (or nothing the caller may see: the two look the same), inside the console shell.
export default function TenantNotFound() {
  return <NotFoundNotice />;
}
