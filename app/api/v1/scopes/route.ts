// GET /api/v1/scopes · POST /api/v1/scopes: see server/api/operations/catalog.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listScopes);
export const POST = handle(operations.createScope);
