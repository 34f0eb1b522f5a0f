import "server-only";
import { type Db, database } from ".";
import { type Database, databaseOfClient, type Statement } from "./client";

// The hot paths' SQL (token lookups, the decision's token and policy reads, token writes, the
// audit append) runs as named statements through the database's driver, not through Prisma:
// Prisma compiles every query on every call, which was most of the CPU those paths spent
// (BENCHMARKS.md, hot paths). Each domain keeps its statements in one file (statements.ts) next to
// the code that runs them; both databases run the same SQL.

export type { Statement } from "./client";

/** A hot statement: its name must be unique in the process (PostgreSQL prepares it by that name). */
export function statement<Row>(name: string, text: string): Statement<Row> {
  return { name, text };
}

/**
 * Runs a hot statement on the process's database, or on `via`: a database's own client (the same
 * driver), or an open Prisma transaction, which the statement then joins (its writes commit with
 * the transaction's).
 */
export async function runStatement<Row>(stmt: Statement<Row>, params: readonly unknown[], via?: Db): Promise<Row[]> {
  if (!via) return (await database()).sql.run(stmt, params);
  const own = databaseOfClient(via);
  if (own) return own.sql.run(stmt, params);
  return (via as Database["prisma"]).$queryRawUnsafe<Row[]>(stmt.text, ...params);
}
