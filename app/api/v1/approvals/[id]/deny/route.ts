// POST /api/v1/approvals/{id}/deny: see server/api/operations/approvals.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.denyApproval);
