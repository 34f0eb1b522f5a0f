// A real HTTP server running Mandate's authorization server (as server.ts does) on a free port,
// so that tests drive it with a standard OAuth client library over the wire.
import { type Env, parseEnv } from "@/lib/env";
import { listen } from "@/server/http/listen";
import { createProvider } from "@/server/oauth/provider";
import { type RouteHandler, serveRoute } from "./serve-route";

export interface OAuthTestServer {
  issuer: string;
  config: Env;
  close(): Promise<void>;
}

/** Finds the admin API's route handler for a request, if the test wants the API served too. */
export type ApiRoutes = (
  method: string,
  pathname: string,
) => Promise<{ handler: RouteHandler; params: Record<string, string> } | null>;

export async function startOAuthServer(
  opts: { api?: ApiRoutes; env?: Record<string, string> } = {},
): Promise<OAuthTestServer> {
  let config: Env | undefined;
  // Production's front door (stamping, headers, routing), with the admin API's route handlers in
  // place of Next: the console's pages answer 404 here.
  const { origin: issuer, close } = await listen({
    port: 0,
    host: "127.0.0.1",
    // Idle connections are the client's to close: a test that pauses for seconds on a loaded
    // machine would otherwise race the server's idle close with its next request (ECONNRESET).
    keepAliveTimeout: 0,
    frontDoor: (origin) => {
      config = parseEnv({
        PUBLIC_URL: origin,
        AUTH_SECRET: "x".repeat(40),
        DATABASE_URL: "postgresql://unused",
        ...opts.env,
      });
      return {
        config,
        provider: createProvider(config),
        next: async (req, res) => {
          const pathname = (req.url ?? "/").split("?")[0];
          const found =
            opts.api && pathname.startsWith("/api/v1/") ? await opts.api(req.method ?? "GET", pathname) : null;
          if (found) await serveRoute(origin, found.handler, req, res, found.params);
          else res.writeHead(404).end();
        },
      };
    },
  });
  return { issuer, config: config as Env, close };
}

/** A minimal cookie jar for driving browser redirects by hand. */
export class CookieJar {
  private cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}
