// Every integration test file runs against its own, freshly migrated database, installed as the
// process's database so that domain functions use it exactly as they do in the app.
import { afterAll, beforeAll } from "vitest";
import { installDatabase } from "@/server/db";
import { createTestDatabase, type TestDatabase } from "./test-database";

let current: TestDatabase | undefined;

beforeAll(async () => {
  current = await createTestDatabase();
  installDatabase(current.db);
});

afterAll(async () => {
  installDatabase(undefined);
  await current?.drop();
});

export function testDb() {
  if (!current) throw new Error("integration database not ready");
  return current.db;
}

/** The PostgreSQL URL of this file's database (undefined on PGlite), for other processes to join. */
export function testDatabaseUrl(): string | undefined {
  return current?.url;
}
