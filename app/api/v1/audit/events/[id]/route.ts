// GET /api/v1/audit/events/{id}: see server/api/operations/audit.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getAuditEvent);
