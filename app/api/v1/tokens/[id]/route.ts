// GET /api/v1/tokens/{id} · DELETE /api/v1/tokens/{id}: see server/api/operations/tokens.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getToken);
export const DELETE = handle(operations.revokeToken);
