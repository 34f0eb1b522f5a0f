import "server-only";
import type { Database } from "./client";

export type { Database } from "./client";
export type { Prisma, PrismaClient } from "./generated/client";

type Tx = Parameters<Parameters<Database["prisma"]["$transaction"]>[0]>[0];
/** A Prisma client or an open transaction: domain helpers that write accept either. */
export type Db = Database["prisma"] | Tx;

const holder = globalThis as typeof globalThis & { __mandateDb?: Promise<Database> };

/**
 * The process's database. server.ts opens and migrates it before the first request
 * (server/startup); tests install their own with installDatabase().
 */
export function database(): Promise<Database> {
  if (!holder.__mandateDb) {
    holder.__mandateDb = import("./open").then((m) => m.openAndMigrate());
  }
  return holder.__mandateDb;
}

export async function prisma(): Promise<Database["prisma"]> {
  return (await database()).prisma;
}

export function installDatabase(db: Database | undefined): void {
  holder.__mandateDb = db ? Promise.resolve(db) : undefined;
}

/** True for a unique-constraint violation (Prisma's P2002, or PostgreSQL's 23505 through an adapter). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string; originalCode?: string } } | null;
  return e?.code === "P2002" || e?.cause?.code === "23505" || e?.cause?.originalCode === "23505";
}

/**
 * PGlite runs no autovacuum, so without this the embedded database never has table statistics
 * and plans list queries as if tables were tiny (BENCHMARKS.md: 3x slower sorted pages).
 * PostgreSQL keeps its own statistics; nothing to do there.
 */
export async function refreshStatistics(): Promise<void> {
  const db = await database();
  if (db.kind === "pglite") await db.sql.exec("ANALYZE");
}
