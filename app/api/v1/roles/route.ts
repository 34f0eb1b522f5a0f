// GET /api/v1/roles · POST /api/v1/roles: see server/api/operations/catalog.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listRoles);
export const POST = handle(operations.createRole);
