import "server-only";
import { clientApprovalSchema, mcpClientListSchema, openScopesSchema } from "@/lib/schemas/mcp-clients";
import { getOpenScopes, listConnectedClients, setClientApproval, setOpenScopes } from "../../agents/connected-clients";
import { defineOperations } from "../operation";
import { offsetPage } from "../pages";
import { tenantIdOf } from "./tenants";

// Connected MCP clients (client metadata documents, dynamic registration): the tenant's list,
// approving and blocking, and the scopes open to clients not approved yet. The console's domain
// functions, permission map and audit.

export const mcpClientOperations = defineOperations({
  listMcpClients: {
    method: "GET",
    path: "/tenants/{tenant}/mcp-clients",
    tag: "MCP clients",
    summary:
      "MCP clients people let into the tenant (client metadata documents, dynamic registration), newest first, with their approval and live grants",
    query: mcpClientListSchema,
    run: async ({ caller, params, query }) =>
      offsetPage(await listConnectedClients(caller, await tenantIdOf(caller, params.tenant), query)),
  },
  approveMcpClient: {
    method: "POST",
    path: "/mcp-clients/{id}/approve",
    tag: "MCP clients",
    summary: "Approve a connected client: it may then be granted its roles' scopes besides the open ones",
    body: clientApprovalSchema,
    run: ({ caller, params, body }) => setClientApproval(caller, params.id, "approved", body),
  },
  blockMcpClient: {
    method: "POST",
    path: "/mcp-clients/{id}/block",
    tag: "MCP clients",
    summary: "Block a connected client in its tenant: every grant and token it holds there is revoked",
    body: clientApprovalSchema,
    run: ({ caller, params, body }) => setClientApproval(caller, params.id, "blocked", body),
  },
  getMcpOpenScopes: {
    method: "GET",
    path: "/tenants/{tenant}/mcp-clients/open-scopes",
    tag: "MCP clients",
    summary: "The scopes an MCP client may be granted before the tenant approves it",
    run: async ({ caller, params }) => getOpenScopes(caller, await tenantIdOf(caller, params.tenant)),
  },
  setMcpOpenScopes: {
    method: "PUT",
    path: "/tenants/{tenant}/mcp-clients/open-scopes",
    tag: "MCP clients",
    summary: "Set the scopes open to unapproved MCP clients (names from the tenant's catalog; empty: none)",
    body: openScopesSchema,
    run: async ({ caller, params, body }) => setOpenScopes(caller, await tenantIdOf(caller, params.tenant), body),
  },
});
