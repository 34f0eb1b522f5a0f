// GET /api/v1/agents · POST /api/v1/agents: see server/api/operations/agents.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listAgents);
export const POST = handle(operations.createAgent);
