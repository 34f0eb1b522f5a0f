import "server-only";
import type { RequestMeta } from "../audit/record";

type HeaderSource = Headers | Record<string, string | string[] | undefined> | undefined;

function read(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return (Array.isArray(v) ? v[0] : v) || undefined;
}

/** Request id and client address as server.ts stamped them (never the client's own claims). */
export function requestMeta(headers: HeaderSource): RequestMeta {
  return {
    requestId: read(headers, "x-request-id"),
    ip: read(headers, "x-mandate-client-ip"),
    userAgent: read(headers, "user-agent"),
  };
}
