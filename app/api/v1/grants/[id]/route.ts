// GET and DELETE /api/v1/grants/{id}: see server/api/operations/grants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getGrant);
export const DELETE = handle(operations.revokeGrant);
