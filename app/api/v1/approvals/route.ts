// GET /api/v1/approvals: see server/api/operations/approvals.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listApprovals);
