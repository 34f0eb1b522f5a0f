// Runs a Next route handler for a node request, as Next does: a Web Request in (with the route's
// params, or none for a route without dynamic segments), its Response written back.
import type { IncomingMessage, ServerResponse } from "node:http";

export type RouteHandler = (
  req: Request,
  context: { params?: Promise<Record<string, string> | undefined> },
) => Promise<Response>;

export async function serveRoute(
  origin: string,
  handler: RouteHandler,
  req: IncomingMessage,
  res: ServerResponse,
  params?: Record<string, string>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const request = new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  const response = await handler(request, {
    params: Promise.resolve(params && Object.keys(params).length ? params : undefined),
  });
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}
