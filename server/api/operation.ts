import "server-only";
import type { z } from "zod";
import { env } from "@/lib/env";
import {
  DomainError,
  InvalidTokenError,
  ServiceUnavailableError,
  TooManyRequestsError,
  UseDpopNonceError,
  ValidationError,
} from "@/lib/errors";
import { isJsonMediaType } from "@/lib/media-type";
import { unstorablePath } from "@/lib/text/storable";
import { withRequestMeta } from "../audit/context";
import type { RequestMeta } from "../audit/record";
import { bearerToken } from "../auth/bearer";
import type { ClientCaller } from "../auth/caller";
import { requestMeta } from "../auth/request-meta";
import { isDatabaseUnavailable } from "../db/unavailable";
import { type DpopPresentation, dpopToken } from "../oauth/dpop";
import { resourceMetadataUrl } from "../oauth/resource";
import { apiCaller } from "./authenticate";
import { toJson } from "./json";

// One admin API operation: its contract (method, path, schemas: read by the OpenAPI document)
// and its handler (run: a call into the domain layer, which validates, checks tenancy and
// role, and audits). Route files are one line per method: `export const GET = handle(op)`.

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** What every operation is given from the request. */
interface RequestInput {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

interface OperationInput extends RequestInput {
  caller: ClientCaller;
}

/** For operations that authenticate the caller themselves (agents asking for decisions). */
interface SelfAuthenticatedInput extends RequestInput {
  /** The request's access token, `Authorization: Bearer` or `DPoP` (RFC 9449), or null when it sent none. */
  bearer: string | null;
  /** How the token was presented: its scheme and the DPoP proof header (server/oauth/dpop.ts checks it). */
  dpop: DpopPresentation;
  meta: RequestMeta;
}

interface Contract {
  method: Method;
  /** OpenAPI-style path under /api/v1, e.g. /agents/{id}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** 200 by default; 201 for creations, 204 for no content. */
  status?: 200 | 201 | 204;
}

/**
 * An operation as a table writes it. Who may call it: automation clients (the default), whose
 * token handle() checks before run() is given the caller; or, with auth "self", anyone with a
 * bearer token, which runSelf() checks itself.
 */
export type OperationSpec =
  | (Contract & { auth?: "automation"; run(input: OperationInput): Promise<unknown> })
  | (Contract & { auth: "self"; runSelf(input: SelfAuthenticatedInput): Promise<unknown> });

/** An operation: its id (the OpenAPI operationId) is its key in the table. */
export type Operation = OperationSpec & { id: string };

/** A table of operations, each given its key as its id. */
export function defineOperations<Key extends string>(specs: Record<Key, OperationSpec>) {
  const entries = Object.entries<OperationSpec>(specs).map(([id, spec]): [string, Operation] => [id, { id, ...spec }]);
  return Object.fromEntries(entries) as Record<Key, Operation>;
}

export function errorResponse(
  status: number,
  error: string,
  message: string,
  details?: unknown,
  headers?: HeadersInit,
) {
  return Response.json(details === undefined ? { error, message } : { error, message, details }, { status, headers });
}

async function readBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  if (!isJsonMediaType(req.headers.get("content-type"))) {
    throw new DomainError("unsupported_media_type", "Send the body as JSON (Content-Type: application/json).", 415);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError("invalid_json", "The body is not valid JSON.", 400);
  }
  // Every operation takes an object: null, a number or a list is refused here, not deep inside.
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new DomainError("invalid_json", "Send a JSON object as the body.", 400);
  }
  return body;
}

/** Path and query values the database could not store are refused before any operation sees them. */
function assertStorable(where: "path" | "query", values: Record<string, string>) {
  const bad = unstorablePath(values);
  if (bad) {
    throw new ValidationError({
      [bad]: [`The ${where} holds a character that cannot be stored (a NUL byte or an unpaired surrogate).`],
    });
  }
}

/** The operation, ready to run on the request's input: with its automation caller, or its bearer token. */
async function runner(op: Operation, req: Request, meta: RequestMeta) {
  const authorization = req.headers.get("authorization");
  const bearer = bearerToken(authorization);
  if (op.auth === "self") {
    // Agents may present a DPoP-bound token (RFC 9449 §7.1); the operation checks its proof.
    const dpop = bearer ? null : dpopToken(authorization);
    const presentation: DpopPresentation = { scheme: dpop ? "dpop" : "bearer", proof: req.headers.get("dpop") };
    return (input: RequestInput) => op.runSelf({ ...input, bearer: bearer ?? dpop, dpop: presentation, meta });
  }
  const caller = await apiCaller(bearer);
  return (input: RequestInput) => op.run({ ...input, caller });
}

type RouteContext = { params?: Promise<Record<string, string | string[]> | undefined> };

/** The Next route handler for an operation: authenticate, read input, run, answer JSON. */
export function handle(op: Operation) {
  return async (req: Request, context: RouteContext): Promise<Response> => {
    try {
      // Next gives routes without dynamic segments no params at all.
      const raw = (await context?.params) ?? {};
      const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      const query = Object.fromEntries(new URL(req.url).searchParams);
      const meta = requestMeta(req.headers);
      // Automation callers are authenticated before anything else is read.
      const run = await runner(op, req, meta);
      assertStorable("path", params);
      assertStorable("query", query);
      const body = op.method === "GET" ? undefined : await readBody(req);
      // Every audit event the operation writes carries this request's id, address and user agent.
      const result = await withRequestMeta(meta, () => run({ params, query, body }));
      // Streamed answers (exports) come as a Response of their own.
      if (result instanceof Response) return result;
      if (op.status === 204) return new Response(null, { status: 204 });
      // RFC 9449 §9: a DPoP nonce for the caller's next proof travels as a header.
      const nonce = (result as { dpop_nonce?: unknown } | null)?.dpop_nonce;
      return Response.json(toJson(result), {
        status: op.status ?? 200,
        headers: { "cache-control": "no-store", ...(typeof nonce === "string" ? { "dpop-nonce": nonce } : {}) },
      });
    } catch (error) {
      if (error instanceof UseDpopNonceError) {
        return errorResponse(401, "use_dpop_nonce", error.message, undefined, {
          "www-authenticate": `DPoP error="use_dpop_nonce", error_description="${error.message.replace(/"/g, "'")}"`,
          "dpop-nonce": error.nonce,
        });
      }
      if (error instanceof InvalidTokenError) {
        return errorResponse(error.status, error.code, error.message, undefined, {
          // RFC 9728 §5.1: where the client finds how to get a token for this API.
          "www-authenticate": `Bearer resource_metadata="${resourceMetadataUrl(env().publicUrl)}", error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`,
        });
      }
      if (error instanceof TooManyRequestsError) {
        return errorResponse(429, error.code, error.message, undefined, {
          "retry-after": String(error.retryAfterSeconds),
        });
      }
      if (error instanceof ServiceUnavailableError || isDatabaseUnavailable(error)) {
        const e = error instanceof ServiceUnavailableError ? error : new ServiceUnavailableError();
        console.error(
          `[${req.headers.get("x-request-id") ?? "-"}] ${op.method} ${op.path}: database unavailable`,
          error,
        );
        return errorResponse(503, e.code, e.message, undefined, { "retry-after": String(e.retryAfterSeconds) });
      }
      if (error instanceof DomainError) return errorResponse(error.status, error.code, error.message, error.details);
      const requestId = req.headers.get("x-request-id") ?? undefined;
      console.error(`[${requestId}] ${op.method} ${op.path} failed`, error);
      return errorResponse(
        500,
        "server_error",
        "Something went wrong. Nothing was changed.",
        requestId ? { request_id: requestId } : undefined,
      );
    }
  };
}
