import "server-only";

// Whether an error means the database could not answer in time or at all (a statement timeout, no
// connection to be had, the server gone), as opposed to a fault in a query. Such failures answer
// 503 with Retry-After at every edge (the admin API, decisions, the authorization server, the
// front door), and never an allow.

// PostgreSQL's SQLSTATEs for a cancelled statement, a server shutting down or unreachable, and
// connection failures (class 08), plus too many connections.
const CODES = /^(57014|57P01|57P02|57P03|53300|08\w{3})$/;
const MESSAGES =
  /statement timeout|query read timeout|timeout exceeded when trying to connect|connection terminated|connection timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|can't reach database|unable to start a transaction|transaction already closed|transaction api error/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  const e = error as {
    code?: unknown;
    originalCode?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (
    typeof e.code === "string" &&
    (CODES.test(e.code) || e.code === "P1001" || e.code === "P2024" || e.code === "P2028")
  ) {
    return true;
  }
  if (typeof e.originalCode === "string" && CODES.test(e.originalCode)) return true;
  if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
  return isDatabaseUnavailable(e.cause, depth + 1) || isDatabaseUnavailable(e.meta?.driverAdapterError, depth + 1);
}
