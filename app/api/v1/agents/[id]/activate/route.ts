// POST /api/v1/agents/{id}/activate: see server/api/operations/agents.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.activateAgent);
