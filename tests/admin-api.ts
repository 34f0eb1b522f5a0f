/// <reference types="vite/client" />
// Calls the admin API's real Next route handlers (app/api/v1/**/route.ts) as Next would, with a
// bearer token obtained from the real authorization server by a standard OAuth client.
import * as oauth from "oauth4webapi";
import type { CreateAutomationClientInput } from "@/lib/schemas/automation";
import type { Operation } from "@/server/api/operation";
import { operations } from "@/server/api/operations";
import type { UserCaller } from "@/server/auth/caller";
import { createAutomationClient } from "@/server/automation/automation-clients";
import { unique } from "./factories";
import type { OAuthTestServer } from "./oauth-server";

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
  for (const op of Object.values(operations) as Operation[]) {
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

/** Calls the route handler the file exports for this method, as Next would. */
export async function api(
  token: string | null,
  method: string,
  pathAndQuery: string,
  body?: unknown,
  init: { contentType?: string; raw?: string } = {},
): Promise<ApiResult> {
  const [path, search = ""] = pathAndQuery.split("?");
  const { op, params } = resolve(method, path);
  const load = ROUTE_FILES[routeFile(op.path)];
  if (!load) throw new Error(`no route file ${routeFile(op.path)}`);
  const mod = await load();
  const handler = mod[method];
  if (!handler) throw new Error(`${routeFile(op.path)} exports no ${method}`);
  const headers = new Headers();
  if (token) headers.set("authorization", `Bearer ${token}`);
  const payload = init.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers.set("content-type", init.contentType ?? "application/json");
  const response = await handler(
    new Request(`http://mandate.test/api/v1${path}${search ? `?${search}` : ""}`, { method, headers, body: payload }),
    // As Next does: routes without dynamic segments get no params.
    { params: Promise.resolve(Object.keys(params).length ? params : undefined) } as never,
  );
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}
