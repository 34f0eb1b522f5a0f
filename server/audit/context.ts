import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

// The request an audit event is written for: its id, client address and user agent as server.ts
// stamped them. The console's server actions (runAction) and the admin API (handle) set it once
// per request, so that every event written on the way carries it without being passed along.

/** Who sent the request an event is written for, as the front door stamped it. */
export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

const store = new AsyncLocalStorage<RequestMeta>();

export function withRequestMeta<T>(meta: RequestMeta, fn: () => T): T {
  return store.run(meta, fn);
}

export function currentRequestMeta(): RequestMeta | undefined {
  return store.getStore();
}
