// A small MCP server protected by Mandate: two tools of different risk, a token check on every
// request (RFC 9728 metadata, 401 with where to get a token, 403 insufficient_scope naming the
// scope a tool needs, for the client to step up), and a Mandate decision before every tool call.
// Built with the official MCP TypeScript SDK (Streamable HTTP, stateless: nothing is kept between
// requests, so no session outlives a revoked token) and Mandate's SDK (sdk/src).
//
//   MANDATE_URL=http://localhost:3000 MANDATE_CLIENT_ID=… MANDATE_CLIENT_SECRET=… PORT=3430 \
//     node --import tsx examples/mcp-server/server.ts

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import { MandateClient, MandateResourceServer } from "../../sdk/src/index.js";

/**
 * The tools and the Mandate scope each needs. Each tool's name is its scope, and the scope is the
 * action of the decision asked before it runs (Mandate denies an action outside the token's scopes).
 */
export const TOOL_SCOPES = {
  "crm.read_contact": "crm.read_contact",
  "payments.refund": "payments.refund",
} as const;

export interface McpExampleConfig {
  /** Mandate's issuer (its PUBLIC_URL). */
  mandateUrl: string;
  /** This server's credentials at Mandate: an automation client of the tenant whose agents call it. */
  clientId: string;
  clientSecret: string;
  /** The port to listen on (0: any free one). */
  port: number;
  /** Where clients reach this server; http://127.0.0.1:<port> unless set. The MCP endpoint is <publicUrl>/mcp. */
  publicUrl?: string;
  host?: string;
  /** Browser origins allowed to call it besides its own (the MCP spec: servers check Origin). */
  allowedOrigins?: string[];
}

export interface McpExample {
  /** The MCP endpoint, and this server's identifier (the audience of the tokens it accepts). */
  resource: string;
  server: Server;
  guard: MandateResourceServer;
  close(): Promise<void>;
}

const CONTACTS: Record<string, { name: string; email: string; company: string }> = {
  "c-100": { name: "Ada Byron", email: "ada@northwind.example", company: "Northwind Traders" },
  "c-200": { name: "Grace Hopper", email: "grace@contoso.example", company: "Contoso" },
};

const MAX_BODY = 1_000_000;

/** The MCP server for one request (stateless), its tools wrapped in a Mandate decision each. */
function mcpServer(guard: MandateResourceServer): McpServer {
  const mcp = new McpServer({ name: "mandate-example-tools", version: "1.0.0" });
  mcp.registerTool(
    "crm.read_contact",
    {
      title: "Read a CRM contact",
      description: "Reads one contact of the CRM by its id (low risk).",
      inputSchema: { contact_id: z.string().min(1).max(100) },
      annotations: { readOnlyHint: true },
    },
    guard.tool(
      {
        action: TOOL_SCOPES["crm.read_contact"],
        resource: (args: { contact_id: string }) => ({ type: "Contact", id: args.contact_id }),
      },
      async ({ contact_id }) => {
        const contact = CONTACTS[contact_id];
        if (!contact) return { content: [{ type: "text", text: `No contact ${contact_id}.` }], isError: true };
        return { content: [{ type: "text", text: JSON.stringify({ id: contact_id, ...contact }) }] };
      },
    ),
  );
  mcp.registerTool(
    "payments.refund",
    {
      title: "Refund a payment",
      description: "Refunds part or all of a payment (high risk: money leaves the company).",
      inputSchema: {
        payment_id: z.string().min(1).max(100),
        amount: z.number().int().positive().describe("Whole units of the currency."),
        currency: z.string().length(3),
      },
      annotations: { destructiveHint: true, idempotentHint: false },
    },
    guard.tool(
      {
        action: TOOL_SCOPES["payments.refund"],
        resource: (args: { payment_id: string; amount: number; currency: string }) => ({
          type: "Payment",
          id: args.payment_id,
        }),
        context: (args) => ({ amount: args.amount, currency: args.currency }),
      },
      async ({ payment_id, amount, currency }) => ({
        content: [{ type: "text", text: `Refunded ${amount} ${currency} of payment ${payment_id}.` }],
      }),
    ),
  );
  return mcp;
}

/** The scopes a JSON-RPC message (or batch) needs: a tool call needs its tool's; anything else none. */
export function scopesFor(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const scopes = new Set<string>();
  for (const message of messages) {
    if (message?.method !== "tools/call") continue;
    const name = message.params?.name;
    if (typeof name === "string" && Object.hasOwn(TOOL_SCOPES, name)) {
      scopes.add(TOOL_SCOPES[name as keyof typeof TOOL_SCOPES]);
    }
  }
  return [...scopes];
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; body: unknown } | { ok: false; status: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) return { ok: false, status: 413 };
    chunks.push(chunk);
  }
  try {
    return { ok: true, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) };
  } catch {
    return { ok: false, status: 400 };
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export async function startMcpExample(config: McpExampleConfig): Promise<McpExample> {
  const server = createServer();
  const host = config.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(config.port, host, resolve));
  const port = (server.address() as AddressInfo).port;
  const resource = `${(config.publicUrl ?? `http://${host}:${port}`).replace(/\/$/, "")}/mcp`;
  const guard = new MandateResourceServer({
    resource,
    introspector: new MandateClient({
      issuer: config.mandateUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    }),
    scopesSupported: Object.values(TOOL_SCOPES),
    resourceName: "Mandate example tools (MCP)",
  });

  server.on("request", async (req: IncomingMessage & { auth?: AuthInfo }, res) => {
    try {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method === "GET" && path === guard.metadataPath) {
        return send(res, 200, guard.metadata(), { "cache-control": "public, max-age=3600" });
      }
      if (path !== new URL(resource).pathname) return send(res, 404, { error: "not_found" });
      // A browser's request from another site (DNS rebinding, a page calling a local server).
      const origin = req.headers.origin;
      if (origin && origin !== new URL(resource).origin && !config.allowedOrigins?.includes(origin)) {
        return send(res, 403, { error: "forbidden", error_description: `Origin ${origin} is not allowed.` });
      }
      let body: unknown;
      if (req.method === "POST") {
        const read = await readJson(req);
        if (!read.ok) {
          return send(res, read.status, {
            jsonrpc: "2.0",
            id: null,
            error: { code: -32700, message: read.status === 413 ? "Request too large." : "Parse error." },
          });
        }
        body = read.body;
      }
      // Every request needs a live Mandate token for this server; a tool call, its tool's scope too.
      // The request's method, URL and DPoP proof, for a DPoP-bound token (RFC 9449).
      const dpop = req.headers.dpop;
      const checked = await guard.authenticate(req.headers.authorization, scopesFor(body), {
        method: req.method ?? "POST",
        url: req.url ?? "/",
        dpop: Array.isArray(dpop) ? dpop.join(",") : dpop,
      });
      if (!checked.ok) return send(res, checked.status, checked.body, checked.headers);
      if (req.method !== "POST") {
        // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
        return send(res, 405, { error: "method_not_allowed" }, { allow: "POST" });
      }
      req.auth = {
        token: checked.token,
        clientId: checked.claims.client_id ?? "",
        scopes: checked.scopes,
        ...(typeof checked.claims.exp === "number" ? { expiresAt: checked.claims.exp } : {}),
        resource: new URL(resource),
        // A DPoP-bound token's proof, for the decision each tool asks (guard.tool forwards it).
        ...(checked.dpop ? { extra: { dpop: checked.dpop } } : {}),
      };
      const mcp = mcpServer(guard);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (error) {
      console.error("mcp-server:", error);
      if (!res.headersSent) send(res, 500, { error: "server_error" });
      else res.end();
    }
  });

  return {
    resource,
    server,
    guard,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const {
    MANDATE_URL,
    MANDATE_CLIENT_ID,
    MANDATE_CLIENT_SECRET,
    PORT = "3430",
    MCP_PUBLIC_URL,
    HOST,
    ALLOWED_ORIGINS,
  } = process.env;
  if (!MANDATE_URL || !MANDATE_CLIENT_ID || !MANDATE_CLIENT_SECRET) {
    console.error("Set MANDATE_URL, MANDATE_CLIENT_ID and MANDATE_CLIENT_SECRET (an automation client of the tenant).");
    process.exit(1);
  }
  const example = await startMcpExample({
    mandateUrl: MANDATE_URL,
    clientId: MANDATE_CLIENT_ID,
    clientSecret: MANDATE_CLIENT_SECRET,
    port: Number(PORT),
    publicUrl: MCP_PUBLIC_URL,
    host: HOST,
    allowedOrigins: ALLOWED_ORIGINS?.split(",").filter(Boolean),
  });
  console.log(`MCP server at ${example.resource} (metadata: ${example.guard.metadataUrl})`);
}
