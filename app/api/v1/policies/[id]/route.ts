// GET /api/v1/policies/{id} · PATCH /api/v1/policies/{id}: see server/api/operations/policies.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getPolicy);
export const PATCH = handle(operations.updatePolicy);
