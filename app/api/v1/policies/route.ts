// GET /api/v1/policies · POST /api/v1/policies: see server/api/operations/policies.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listPolicies);
export const POST = handle(operations.createPolicy);
