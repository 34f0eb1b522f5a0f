// PATCH /api/v1/roles/{id} · DELETE /api/v1/roles/{id}: see server/api/operations/catalog.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const PATCH = handle(operations.updateRole);
export const DELETE = handle(operations.deleteRole);
