// GET /api/v1/anomalies: see server/api/operations/anomalies.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listAnomalies);
