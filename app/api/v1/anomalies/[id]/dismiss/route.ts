// POST /api/v1/anomalies/{id}/dismiss: see server/api/operations/anomalies.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.dismissAnomaly);
