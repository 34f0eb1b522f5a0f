// A real HTTP server for benchmarks that need more than the authorization server: production's
// front door (server/http/front-door.ts: stamping, headers, /oauth/* and /.well-known/* to
// oidc-provider, and POST /api/v1/decisions, which the front door serves itself:
// server/http/hot-routes.ts). Next and the console are not here: anything else is a 404.
import { parseEnv, reloadEnv } from "../../lib/env";
import { listen } from "../../server/http/listen";
import { createProvider } from "../../server/oauth/provider";

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
  const vars = {
    AUTH_SECRET: options.authSecret ?? "x".repeat(40),
    DATABASE_URL: "postgresql://unused",
  };
  // A benchmark's one client sends far more than a client's default rate limit: limits off,
  // unless the run asks for them.
  for (const name of [
    "RATE_LIMIT_TOKEN_PER_MINUTE",
    "RATE_LIMIT_INTROSPECTION_PER_MINUTE",
    "RATE_LIMIT_DECISIONS_PER_MINUTE",
    "RATE_LIMIT_PER_ADDRESS_PER_MINUTE",
  ]) {
    process.env[name] ??= "0";
  }
  // Idle connections are left to the client to close. Between rows the harness works for seconds on
  // this same thread (creating 900 policies) with the client's connections idle; a server-side close
  // (Node's default: after 5 s) then races the client's next request on that connection, and a
  // POST that meets the reset fails (undici retries only idempotent requests).
  const { origin, close } = await listen({
    port: 0,
    host: "127.0.0.1",
    keepAliveTimeout: 0,
    frontDoor: (origin) => {
      const publicUrl = options.publicUrl ?? origin;
      // The decision handler reads PUBLIC_URL through env() (tokens must be for this API): as in
      // production, the process's environment names this server.
      Object.assign(process.env, { PUBLIC_URL: publicUrl, AUTH_SECRET: vars.AUTH_SECRET });
      reloadEnv(); // each backend's server listens on a port of its own
      const config = parseEnv({ ...vars, PUBLIC_URL: publicUrl });
      // Production's front door, with nothing in place of Next.
      return {
        config,
        provider: createProvider(config),
        next: async (_req, res) => {
          res.writeHead(404).end();
        },
      };
    },
  });
  return { origin, close };
}
