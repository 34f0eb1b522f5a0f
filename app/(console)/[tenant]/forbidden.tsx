import type { Metadata } from "next";
import { ForbiddenNotice } from "@/components/shell/status-notices";

export const metadata: Metadata = { title: "Forbidden" };

// A page the caller's role does not open, rendered inside the console shell so the sections they may open are still at hand.
export default function TenantForbidden() {
  return <ForbiddenNotice />;
}
