// One database handle per process. The custom server (server.ts, run by tsx) and the code Next
// bundles are two module graphs in the same process: they share the handle through globalThis,
// because PGlite is a single connection that must be opened once.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";

/**
 * A statement of the hot paths (server/db/statement.ts): a name, its SQL, and the row it returns.
 * On PostgreSQL it is prepared once per connection under its name; PGlite parses it per call.
 */
export interface Statement<Row> {
  readonly name: string;
  readonly text: string;
  /** Type only: the shape of one returned row. */
  readonly row?: Row;
}

/** Runs SQL outside Prisma: several statements at once (migrations) or parameterised queries. */
export interface SqlDriver {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a named statement of the hot paths: no ORM on the way, prepared once per connection. */
  run<Row>(statement: Statement<Row>, params: readonly unknown[]): Promise<Row[]>;
  /** Runs fn on one connection (advisory locks are per connection). */
  withConnection<R>(fn: (conn: SqlDriver) => Promise<R>): Promise<R>;
}

export interface Database {
  prisma: PrismaClient;
  sql: SqlDriver;
  kind: "pglite" | "postgresql";
  close(): Promise<void>;
}

/**
 * How long a statement may run and a request may wait for a connection, so that a frozen or
 * locked database makes requests fail fast (503) instead of hanging for as long as it is stuck.
 */
export interface DatabaseTimeouts {
  statementMs: number;
  acquireMs: number;
}

export type DatabaseOptions =
  | { databaseUrl: string; timeouts?: DatabaseTimeouts }
  | { dataDir: string }
  | { memory: true };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db =
    "databaseUrl" in options
      ? openPostgres(options.databaseUrl, options.timeouts)
      : await openPglite("dataDir" in options ? options.dataDir : undefined);
  opened().set(db.prisma, db);
  return db;
}

/** Every open database by its Prisma client, shared by the process's two module graphs (above). */
function opened(): WeakMap<object, Database> {
  const holder = globalThis as typeof globalThis & { __mandateOpened?: WeakMap<object, Database> };
  holder.__mandateOpened ??= new WeakMap();
  return holder.__mandateOpened;
}

/** The database a Prisma client belongs to, when it is a database's own client (not a transaction). */
export function databaseOfClient(client: object): Database | undefined {
  return opened().get(client);
}

function openPostgres(databaseUrl: string, timeouts?: DatabaseTimeouts): Database {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...(timeouts
      ? {
          // The server cancels a statement past its time (locks waited for included)...
          statement_timeout: timeouts.statementMs,
          // ...and the client gives up a little later, should the server be unable to (frozen).
          query_timeout: timeouts.statementMs + 1_000,
          // Waiting for a free connection, or for a new one to open.
          connectionTimeoutMillis: timeouts.acquireMs,
        }
      : {}),
  });
  // An idle connection that the server drops (a restart, a failover, an administrator) emits
  // "error" on the pool; without a listener Node would end the whole process. The next query
  // simply opens a new connection.
  pool.on("error", (error) => console.error("PostgreSQL connection lost:", error.message));
  const wrap = (client: pg.Pool | pg.PoolClient): SqlDriver => ({
    async exec(sql) {
      await client.query(sql);
    },
    async query(sql, params) {
      return (await client.query(sql, params as unknown[])).rows;
    },
    async run<Row>(statement: Statement<Row>, params: readonly unknown[]) {
      const result = await client.query({ name: statement.name, text: statement.text, values: params as unknown[] });
      return result.rows as Row[];
    },
    async withConnection(fn) {
      if (client !== pool) return fn(wrap(client));
      const conn = await pool.connect();
      try {
        return await fn(wrap(conn));
      } finally {
        conn.release();
      }
    },
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    sql: wrap(pool),
    kind: "postgresql",
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let release = () => {};
  let dir: string | undefined;
  if (dataDir) {
    dir = path.join(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  // pg_trgm backs the agents list's name search (see the agent_list_indexes migration).
  // (Options go first when there is no directory: PGlite ignores them as a second argument then.)
  const pglite = new PGlite({ dataDir: dir, extensions: { pg_trgm } });
  await pglite.waitReady;
  const driver: SqlDriver = {
    async exec(sql) {
      await pglite.exec(sql);
    },
    async query(sql, params) {
      return (await pglite.query(sql, params)).rows as never[];
    },
    async run<Row>(statement: Statement<Row>, params: readonly unknown[]) {
      return (await pglite.query<Row>(statement.text, params as unknown[])).rows;
    },
    withConnection: (fn) => fn(driver),
  };
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    sql: driver,
    kind: "pglite",
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}

/**
 * PGlite is one connection in one process: a second Mandate on the same DATA_DIR would corrupt
 * it. The lock file names the owning process; a stale lock (its process is gone) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, "mandate.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(file, "utf8"));
      if (pid === process.pid) throw new Error(`DATA_DIR ${dataDir} is already open in this process.`);
      if (!isAlive(pid)) {
        rmSync(file, { force: true });
        continue;
      }
      throw new Error(
        `DATA_DIR ${dataDir} is in use by another Mandate process (pid ${pid}). The embedded database serves one process; use DATABASE_URL to run several instances.`,
      );
    }
  }
  throw new Error(`Could not lock DATA_DIR ${dataDir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
