"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { buttonClass } from "@/components/ui/button";

/** Back to the overview of the tenant in the address (the console's home outside one). */
export function OverviewLink() {
  const { tenant } = useParams<{ tenant?: string }>();
  return (
    <Link href={tenant ? `/${tenant}` : "/"} className={buttonClass("secondary")}>
      Back to the overview
    </Link>
  );
}
