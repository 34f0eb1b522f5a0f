// GET /api/v1/tenants/{tenant} · PATCH /api/v1/tenants/{tenant}: see server/api/operations/tenants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getTenant);
export const PATCH = handle(operations.updateTenant);
