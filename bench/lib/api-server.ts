// A real HTTP server for benchmarks that need more than the authorization server: /oauth/* and
// /.well-known/* go to oidc-provider (as server.ts and tests/oauth-server.ts mount it), and
// POST /api/v1/decisions to the route handler Next would run (app/api/v1/decisions/route.ts), with
// the node request turned into a Web Request and the Response written back. Next's own router and
// the console are not here: what is measured is Mandate's handler behind plain node:http.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { POST as decisions } from "../../app/api/v1/decisions/route";
import { parseEnv, reloadEnv } from "../../lib/env";
import { providerHandler, routeOf } from "../../server/oauth/http";
import { createProvider } from "../../server/oauth/provider";
import { serveRoute } from "../../tests/serve-route";

export interface ApiServer {
  /** http://127.0.0.1:<port>, also the issuer. */
  origin: string;
  close(): Promise<void>;
}

export interface ApiServerOptions {
  /**
   * The installation's public URL when this server is one of several instances behind it (tokens
   * are for that URL's API); by default the server's own origin.
   */
  publicUrl?: string;
  /** The installation's AUTH_SECRET, shared by its instances (signing and cookie keys). */
  authSecret?: string;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  let oauth: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => {
    // As server.ts: the client address and a request id are set here, never taken from the client.
    req.headers["x-mandate-client-ip"] = req.socket.remoteAddress ?? "";
    const requestId = randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    if (routeOf(req.method, req.url) === "provider" && oauth) return oauth(req, res);
    if (req.method === "POST" && (req.url ?? "").split("?")[0] === "/api/v1/decisions") {
      serveRoute(origin, decisions, req, res).catch((error) => {
        console.error(`[${requestId}]`, error);
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "server_error", request_id: requestId }));
      });
      return;
    }
    res.writeHead(404).end();
  });
  // Idle connections are left to the client to close. Between rows the harness works for seconds on
  // this same thread (creating 900 policies) with the client's connections idle; a server-side close
  // (Node's default: after 5 s) then races the client's next request on that connection, and a
  // POST that meets the reset fails (undici retries only idempotent requests).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const vars = {
    PUBLIC_URL: options.publicUrl ?? origin,
    AUTH_SECRET: options.authSecret ?? "x".repeat(40),
    DATABASE_URL: "postgresql://unused",
  };
  // The decision handler reads PUBLIC_URL through env() (tokens must be for this API): as in
  // production, the process's environment names this server.
  Object.assign(process.env, { PUBLIC_URL: vars.PUBLIC_URL, AUTH_SECRET: vars.AUTH_SECRET });
  reloadEnv(); // each backend's server listens on a port of its own

  const config = parseEnv(vars);
  oauth = providerHandler(createProvider(config));
  return {
    origin,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
