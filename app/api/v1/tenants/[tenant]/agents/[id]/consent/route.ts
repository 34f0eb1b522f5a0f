// DELETE · PUT /api/v1/tenants/{tenant}/agents/{id}/consent: see server/api/operations/grants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const DELETE = handle(operations.withdrawConsent);
export const PUT = handle(operations.restoreConsent);
