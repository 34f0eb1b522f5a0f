// GET /api/v1/agents/{id}/roles · POST /api/v1/agents/{id}/roles: see server/api/operations/catalog.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listAgentRoles);
export const POST = handle(operations.assignAgentRole);
