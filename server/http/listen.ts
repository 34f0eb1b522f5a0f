import "server-only";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FrontDoorOptions, frontDoor } from "./front-door";

// The one listener: production (server.ts), the tests' servers (tests/oauth-server.ts) and the
// benchmarks' (bench/lib/api-server.ts) all serve Mandate through it, so that every request they
// make meets the same front door.

export interface Listening {
  server: Server;
  /** http://<host>:<port> as bound (port 0 is a free one). */
  origin: string;
  close(): Promise<void>;
}

export async function listen(opts: {
  port: number;
  host?: string;
  /** Node's default closes idle keep-alive connections after 5 s; 0 leaves them to the client. */
  keepAliveTimeout?: number;
  /** The front door's options, made once the bound origin is known (a test's issuer is its own). */
  frontDoor: (origin: string) => FrontDoorOptions | Promise<FrontDoorOptions>;
}): Promise<Listening> {
  let handler: RequestListener | undefined;
  const server = createServer((req, res) => {
    if (handler) return handler(req, res);
    res.writeHead(503, { "retry-after": "1" }).end();
  });
  if (opts.keepAliveTimeout !== undefined) server.keepAliveTimeout = opts.keepAliveTimeout;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${opts.host ?? "localhost"}:${port}`;
  handler = frontDoor(await opts.frontDoor(origin));
  return {
    server,
    origin,
    // Stops taking connections; requests under way are answered, idle connections dropped.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
