"use client";

import { useRouter } from "next/navigation";
import { TenantForm } from "@/components/tenant-form";
import { createFirstTenantAction } from "../actions";

export function FirstTenantForm() {
  const router = useRouter();
  return (
    <TenantForm
      submitLabel="Create tenant"
      pendingLabel="Creating…"
      onSubmit={createFirstTenantAction}
      onDone={(slug) => router.push(`/${slug}`)}
    />
  );
}
