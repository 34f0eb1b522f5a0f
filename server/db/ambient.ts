import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { type Db, prisma } from ".";

// Code that a library calls back into (oidc-provider's adapter) cannot be handed a transaction
// as an argument. A caller that wants those writes inside its own transaction runs the library
// call in withTransaction(); the callee writes through db() and joins it.
const store = new AsyncLocalStorage<Db>();

export function withTransaction<T>(tx: Db, fn: () => Promise<T>): Promise<T> {
  return store.run(tx, fn);
}

/** The enclosing transaction if there is one, else the process's client. */
export async function ambientDb(): Promise<{ db: Db; inTransaction: boolean }> {
  const tx = store.getStore();
  return tx ? { db: tx, inTransaction: true } : { db: await prisma(), inTransaction: false };
}

/** Runs fn in the enclosing transaction, or in a new one. */
export async function inTransaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const { db, inTransaction } = await ambientDb();
  if (inTransaction) return fn(db);
  return (db as Awaited<ReturnType<typeof prisma>>).$transaction((tx) => store.run(tx, () => fn(tx)));
}
