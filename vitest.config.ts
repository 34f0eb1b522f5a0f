import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": import.meta.dirname,
  // server-only guards client bundles; tests run on the server side.
  "server-only": path.join(import.meta.dirname, "tests", "empty-module.ts"),
};

const integration = (name: string, db: "pglite" | "postgres") => ({
  resolve: { alias },
  test: {
    name,
    include: ["server/**/*.int.test.ts", "sdk/**/*.int.test.ts", "examples/**/*.int.test.ts"],
    setupFiles: ["tests/integration-setup.ts"],
    // A fixed AUTH_SECRET, as a deployment has (the API test server sets its own while it runs).
    env: { MANDATE_TEST_DB: db, AUTH_SECRET: "integration-tests-auth-secret-0123456789" },
    testTimeout: 60_000,
    // Memory tests (the audit export's) collect garbage before they sample, to see what is live.
    execArgv: ["--expose-gc"],
    hookTimeout: 120_000,
    // Each file gets its own database, so files run side by side (two at a time: see below).
  },
});

export default defineConfig({
  test: {
    // Two test files at a time, one per core of these machines.
    maxWorkers: 2,
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["lib/**/*.test.ts", "server/**/*.unit.test.ts"] } },
      integration("integration-pglite", "pglite"),
      integration("integration-postgres", "postgres"),
    ],
  },
});
