// POST /api/v1/decisions: see server/api/operations/decisions.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.decide);
