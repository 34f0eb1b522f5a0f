// DELETE /api/v1/agents/{id}/roles/{roleId}: see server/api/operations/catalog.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const DELETE = handle(operations.removeAgentRole);
