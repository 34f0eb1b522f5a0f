// Prisma CLI configuration. Mandate uses the CLI only to generate the client and to write
// migration SQL (scripts/new-migration.ts); it applies migrations itself at start
// (server/db/migrate.ts). The WebAssembly schema engine ("js") needs a driver adapter, so the CLI
// gets a throwaway in-memory PGlite: nothing is downloaded and no real database is touched.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

process.env.DATABASE_URL ??= "postgresql://unused/mandate";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaPGlite(new PGlite()),
});
