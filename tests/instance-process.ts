// Another Mandate instance in a process of its own, for tests and benchmarks of several instances
// on one PostgreSQL: the authorization server and the decision endpoint (bench/lib/api-server.ts)
// on a port of its own, with the database (DATABASE_URL), public URL (PUBLIC_URL) and AUTH_SECRET of
// the installation it joins. Prints {"origin": ...} on its first line of output once it listens.
// Run with: node --import tsx --import ./scripts/server-only-hook.mjs tests/instance-process.ts
import { startApiServer } from "../bench/lib/api-server";

const server = await startApiServer({ publicUrl: process.env.PUBLIC_URL, authSecret: process.env.AUTH_SECRET });
process.stdout.write(`${JSON.stringify({ origin: server.origin })}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close().then(() => process.exit(0)));
}
