/// <reference types="vite/client" />
// Calls the admin API's real Next route handlers (app/api/v1/**/route.ts) as Next would, with a
// bearer token obtained from the real authorization server by a standard OAuth client.
import * as oauth from "oauth4webapi";
import { vi } from "vitest";
import type { CreateAutomationClientInput } from "@/lib/schemas/automation";
import type { Operation } from "@/server/api/operation";
import { operations } from "@/server/api/operations";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { unique } from "./factories";
import { type ApiRoutes, type OAuthTestServer, startOAuthServer } from "./oauth-server";
import type { RouteHandler } from "./serve-route";

export const insecure = { [oauth.allowInsecureRequests]: true };

export async function discover(server: OAuthTestServer): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(server.issuer);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oauth2" }),
  );
}

/** client_credentials with a client secret; returns the access token. */
export async function clientToken(as: oauth.AuthorizationServer, clientId: string, secret: string, params = {}) {
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.clientCredentialsGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(secret),
    new URLSearchParams(params),
    insecure,
  );
  return (await oauth.processClientCredentialsResponse(as, client, response)).access_token;
}

/** An automation client with the role, and a live token for it. */
export async function automationToken(
  as: oauth.AuthorizationServer,
  admin: UserCaller,
  input: Omit<CreateAutomationClientInput, "client_id" | "name">,
) {
  const { client, secret } = await createAutomationClient(admin, {
    client_id: unique("ci").toLowerCase(),
    name: "CI job",
    ...input,
  });
  return { client, secret, token: await clientToken(as, client.clientId, secret) };
}

type RouteModule = Record<
  string,
  (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>
>;
/** Every route file of the admin API, by path (Vite's glob import: no hand-kept list). */
export const ROUTE_FILES = import.meta.glob<RouteModule>("../app/api/v1/**/route.ts");

export function routeFile(path: string): string {
  return `../app/api/v1${path.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`;
}

/** The operation a concrete method + path lands on, and its path parameters. */
function resolve(method: string, path: string): { op: Operation; params: Record<string, string> } {
  for (const op of Object.values(operations)) {
    if (op.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${op.path.replace(/\{(\w+)\}/g, (_, n) => {
        names.push(n);
        return "([^/]+)";
      })}$`,
    );
    const m = pattern.exec(path);
    if (m) return { op, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  throw new Error(`no operation for ${method} ${path}`);
}

export interface ApiResult {
  status: number;
  body: Record<string, unknown> & { data?: Record<string, unknown>[] };
  headers: Headers;
}

/** Finds the route handler a request lands on (the glob of route files, as Next's router would). */
export const apiRoutes: ApiRoutes = async (method, pathname) => {
  let found: ReturnType<typeof resolve>;
  try {
    found = resolve(method, pathname.replace(/^\/api\/v1/, ""));
  } catch {
    return null;
  }
  const load = ROUTE_FILES[routeFile(found.op.path)];
  const handler = load ? (await load())[method] : undefined;
  return handler ? { handler: handler as RouteHandler, params: found.params } : null;
};

let apiOrigin: string | undefined;

/**
 * The authorization server and the admin API on one real HTTP server, which api() then calls.
 * The process's environment names it (the API checks tokens' audience against PUBLIC_URL, as in
 * production) until it is closed.
 */
export async function startApiTestServer(env: Record<string, string> = {}): Promise<OAuthTestServer> {
  const server = await startOAuthServer({ api: apiRoutes, env });
  apiOrigin = server.issuer;
  vi.stubEnv("PUBLIC_URL", server.issuer);
  vi.stubEnv("AUTH_SECRET", server.config.authSecret);
  return {
    ...server,
    close: async () => {
      vi.unstubAllEnvs();
      await server.close();
    },
  };
}

/** Calls the admin API over HTTP, through the route handler the file exports for this method. */
export async function api(
  token: string | null,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  init: { contentType?: string; raw?: string } = {},
): Promise<ApiResult> {
  if (!apiOrigin) throw new Error("start the server with startApiTestServer() first");
  const [path] = pathAndQuery.split("?");
  resolve(method, path); // a test naming an operation that does not exist is a test bug: say so
  const headers = new Headers();
  if (token) headers.set("authorization", `Bearer ${token}`);
  const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers.set("content-type", init.contentType ?? "application/json");
  const response = await fetch(`${apiOrigin}/api/v1${pathAndQuery}`, { method, headers, body: payload });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}
