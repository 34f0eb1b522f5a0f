// GET, PUT /api/v1/tenants/{tenant}/mcp-clients/open-scopes: see server/api/operations/mcp-clients.ts
import { handle } from "@/server/api/operation";
import { operations } from "@/server/api/operations";

export const GET = handle(operations.getMcpOpenScopes);
export const PUT = handle(operations.setMcpOpenScopes);
