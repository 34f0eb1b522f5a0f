import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { handle } from "../api/operation";
import { operations } from "../api/operations";

// The paths an agent calls on every action are served by the front door itself, not by Next's
// router: the same operation handler (server/api/operation.ts: authentication, input, error shape,
// audit context) that the route file exports, called directly. Next's routing and route runtime
// were a fifth of a decision's CPU (BENCHMARKS.md, hot paths). The route files stay, for Next's
// build and the OpenAPI document, and answer the same should a request ever reach them.

type Handler = ReturnType<typeof handle>;

const HOT: Record<string, Handler> = {
  "POST /api/v1/decisions": handle(operations.decide),
};

/** A request body larger than this is refused (413) before it is read further. */
export const HOT_BODY_LIMIT = 1024 * 1024;

export function hotRoute(method: string | undefined, path: string): Handler | undefined {
  return HOT[`${method} ${path}`];
}

/** Runs an operation's handler for a node request: a Web Request in, its Response written back. */
export async function serveHot(handler: Handler, origin: string, req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > HOT_BODY_LIMIT) {
      res.writeHead(413, { "content-type": "application/json", "cache-control": "no-store", connection: "close" });
      res.end(
        JSON.stringify({
          error: "payload_too_large",
          message: `The body is larger than ${HOT_BODY_LIMIT / 1024} KiB.`,
          request_id: req.headers["x-request-id"],
        }),
      );
      req.destroy();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await handler(
    new Request(new URL(req.url ?? "/", origin), {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    }),
    {},
  );
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}
