// POST /api/v1/policies/simulate: see server/api/operations/policies.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.simulatePolicy);
