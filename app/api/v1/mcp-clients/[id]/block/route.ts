// POST /api/v1/mcp-clients/{id}/block: see server/api/operations/mcp-clients.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const POST = handle(operations.blockMcpClient);
