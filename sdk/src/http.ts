// Requests to the authorization server: retries with exponential backoff and full jitter, the
// mapping of error answers to MandateOAuthError, and the bearer header for resource requests.

import { MandateError, MandateNetworkError, MandateOAuthError } from "./errors.js";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Whether a request may be sent again after an answer that may mean it was processed. A refresh is
 * not: if the server rotated the token but the answer was lost, sending the old one again counts
 * as reuse and revokes the whole family. Such requests are retried only when the server cannot
 * have processed them (no connection, 429, 503).
 */
export type Replay = "safe" | "unsafe";

// Errors raised before a connection exists: the request never reached the server.
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function neverSent(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" && NOT_SENT.has(cause.code);
}

function retryableStatus(status: number, replay: Replay): boolean {
  if (status === 429 || status === 503) return true;
  return replay === "safe" && status >= 500;
}

/** Full jitter: a uniform wait between 0 and the capped exponential step. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(Math.random() * ceiling);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a request built afresh for each try (a client assertion may be used once only) and
 * returns the first answer that is not worth retrying, or the last one. A Retry-After longer than
 * maxDelayMs ends the retries at once: the caller gets the error and its retryAfterMs.
 */
export async function sendWithRetry(
  fetchImpl: FetchLike,
  url: string,
  build: () => Promise<RequestInit>,
  policy: RetryPolicy,
  replay: Replay = "safe",
): Promise<Response> {
  const attempts = Math.max(1, policy.attempts);
  for (let attempt = 1; ; attempt++) {
    const init = await build();
    let response: Response;
    try {
      response = await fetchImpl(url, init);
    } catch (error) {
      const retry = attempt < attempts && (replay === "safe" || neverSent(error));
      if (!retry) throw new MandateNetworkError(url, error);
      await sleep(backoffDelay(attempt, policy));
      continue;
    }
    if (response.ok || attempt >= attempts || !retryableStatus(response.status, replay)) return response;
    const asked = retryAfterMs(response);
    if (asked !== undefined && asked > policy.maxDelayMs) return response;
    await response.body?.cancel();
    await sleep(asked ?? backoffDelay(attempt, policy));
  }
}

/** The JSON body of a successful answer; a MandateOAuthError for anything else. */
export async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) throw await oauthError(response);
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new MandateError(
      `expected JSON from ${response.url || "the authorization server"}, got: ${text.slice(0, 200)}`,
    );
  }
}

export async function oauthError(response: Response): Promise<MandateOAuthError> {
  let body: { error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(await response.text());
  } catch {
    // Not an OAuth error body (a proxy's HTML page, say): the status speaks for itself.
  }
  const { status } = response;
  const fallback =
    status === 429 || status === 503 ? "temporarily_unavailable" : status >= 500 ? "server_error" : "invalid_response";
  return new MandateOAuthError({
    error: typeof body?.error === "string" ? body.error : fallback,
    error_description: typeof body?.error_description === "string" ? body.error_description : undefined,
    status,
    retryAfterMs: retryAfterMs(response),
  });
}

/**
 * The request with the token's headers set (Authorization, and DPoP when the token is bound),
 * keeping a Request's own headers; `spare` keeps the original unread.
 */
export function withToken(
  input: string | URL | Request,
  init: RequestInit,
  auth: Record<string, string>,
  spare: boolean,
): [string | URL | Request, RequestInit] {
  const headers = new Headers(input instanceof Request ? input.headers : undefined);
  for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
  for (const [name, value] of Object.entries(auth)) headers.set(name, value);
  return [input instanceof Request && spare ? input.clone() : input, { ...init, headers }];
}

/** The method and URL a fetch call will send, for a DPoP proof. */
export function requestLine(input: string | URL | Request, init: RequestInit): { method: string; url: string } {
  const method = init.method ?? (input instanceof Request ? input.method : "GET");
  return { method: method.toUpperCase(), url: input instanceof Request ? input.url : String(input) };
}
