// GET /api/v1/agents/{id} · PATCH /api/v1/agents/{id}: see server/api/operations/agents.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getAgent);
export const PATCH = handle(operations.updateAgent);
