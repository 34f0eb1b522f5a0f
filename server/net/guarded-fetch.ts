import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { type AllowList, allowedAddress, isSpecialUse, parseAllowList, unwrapIPv4 } from "./address-policy";

// The one way Mandate fetches something on someone else's behalf (an agent's JWKS URL, a client's
// metadata document): https only; every address the host resolves to must be public (or allowed
// by OUTBOUND_ALLOW), checked when the connection is made so a second DNS answer cannot swap in a
// private one; redirects are not followed; a short deadline; a cap on the answer's size.

export class OutboundRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefusedError";
  }
}

export interface GuardedFetchOptions {
  method?: string;
  headers?: HeadersInit;
  body?: string;
  signal?: AbortSignal;
  /** Bytes of body read at most; a longer answer is refused. */
  maxBytes?: number;
  /** The whole exchange's deadline. */
  timeoutMs?: number;
}

export const OUTBOUND_DEFAULTS = { maxBytes: 64 * 1024, timeoutMs: 3_000 } as const;

let cachedAllow: { source: readonly string[]; list: AllowList } | undefined;
function allowList(): AllowList {
  const source = env().outboundAllow;
  if (cachedAllow?.source !== source) cachedAllow = { source, list: parseAllowList(source) };
  return cachedAllow.list;
}

function permitted(allow: AllowList, host: string, address: string): boolean {
  return allowedAddress(allow, host, address) || !isSpecialUse(address);
}

/** DNS for the connection itself: refuses the host unless every address it resolves to is permitted. */
function guardedLookup(allow: AllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 4);
      const refused = addresses.find((a) => !permitted(allow, hostname, a.address));
      if (!addresses.length || refused) {
        return callback(
          new OutboundRefusedError(
            `${hostname} resolves to ${refused?.address ?? "nothing"}, a private, loopback or link-local address`,
          ),
          "",
          4,
        );
      }
      if ((options as { all?: boolean }).all)
        return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Checks a URL before anything is sent: scheme, credentials, an address written as the host. */
export function checkOutboundUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new OutboundRefusedError("not a URL");
  }
  const allow = allowList();
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(unwrapIPv4(host)) ? host : null;
  const allowedHost = allow.hosts.has(host.toLowerCase()) || (literal !== null && allowedAddress(allow, host, literal));
  if (url.username || url.password) throw new OutboundRefusedError("URLs with credentials are not fetched");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowedHost)) {
    throw new OutboundRefusedError(`only https URLs are fetched (${url.protocol.replace(":", "")} given)`);
  }
  if (literal !== null && !permitted(allow, host, literal)) {
    throw new OutboundRefusedError(`${host} is a private, loopback or link-local address`);
  }
  return url;
}

/**
 * Fetches a URL on someone else's behalf, within the guards above, and answers a WHATWG Response
 * (so libraries that take a fetch, oidc-provider among them, use it as one). Refusals throw
 * OutboundRefusedError; network failures throw as fetch does.
 */
export async function guardedFetch(input: string | URL, opts: GuardedFetchOptions = {}): Promise<Response> {
  const url = checkOutboundUrl(input);
  const maxBytes = opts.maxBytes ?? OUTBOUND_DEFAULTS.maxBytes;
  const deadline = AbortSignal.timeout(opts.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const headers = Object.fromEntries(new Headers(opts.headers).entries());
  const transport = url.protocol === "https:" ? https : http;
  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: opts.method ?? "GET",
        headers: { "user-agent": "Mandate", ...headers },
        lookup: guardedLookup(allowList()),
        agent: false,
        signal,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 599) {
          response.destroy();
          return reject(new OutboundRefusedError(`unexpected status ${status}`));
        }
        if (status >= 300 && status < 400) {
          response.destroy();
          return reject(
            new OutboundRefusedError(`redirects are not followed (${status} to ${response.headers.location ?? "?"})`),
          );
        }
        const declared = Number(response.headers["content-length"] ?? 0);
        if (declared > maxBytes) {
          response.destroy();
          return reject(new OutboundRefusedError(`the answer is larger than ${maxBytes} bytes`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            response.destroy();
            reject(new OutboundRefusedError(`the answer is larger than ${maxBytes} bytes`));
          } else chunks.push(chunk);
        });
        response.on("end", () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: response.statusMessage, headers: out }));
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    if (opts.body !== undefined) request.write(opts.body);
    request.end();
  });
}
