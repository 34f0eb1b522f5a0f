// GET /api/v1/grants: see server/api/operations/grants.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listGrants);
