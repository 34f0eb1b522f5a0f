// Counts the SQL statements the PostgreSQL driver sends while fn runs (every Prisma query, and
// BEGIN/COMMIT, goes through pg.Client#query), with the start of each, for a benchmark's notes.
// Diagnostic only: meant for sequential calls, since anything else running meanwhile is counted too.
import pg from "pg";

export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : (first as { text?: string } | undefined)?.text;
    statements.push((text ?? "?").replace(/\s+/g, " ").trim());
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), statements };
  } finally {
    proto.query = original;
  }
}
