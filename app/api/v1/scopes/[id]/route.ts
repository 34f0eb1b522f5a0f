// PATCH /api/v1/scopes/{id} · DELETE /api/v1/scopes/{id}: see server/api/operations/catalog.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const PATCH = handle(operations.updateScope);
export const DELETE = handle(operations.deleteScope);
