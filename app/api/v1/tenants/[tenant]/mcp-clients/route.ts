// GET /api/v1/tenants/{tenant}/mcp-clients: see server/api/operations/mcp-clients.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.listMcpClients);
