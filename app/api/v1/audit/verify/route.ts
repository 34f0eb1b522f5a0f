// GET /api/v1/audit/verify: see server/api/operations/audit.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.verifyAudit);
