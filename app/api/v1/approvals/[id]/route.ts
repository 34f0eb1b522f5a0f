// GET /api/v1/approvals/{id}: see server/api/operations/approvals.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getApproval);
