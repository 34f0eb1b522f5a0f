// GET /api/v1/tenants · POST /api/v1/tenants: see server/api/operations/tenants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listTenants);
export const POST = handle(operations.createTenant);
