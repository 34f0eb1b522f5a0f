// Prisma CLI configuration. The CLI talks to the embedded PGlite database through a driver
// adapter and a WebAssembly schema engine, so nothing is downloaded (see ../shared/PLATFORM.md).
// Against a PostgreSQL server, the app applies prisma/migrations itself at start.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

process.env.DATABASE_URL ??= "postgresql://embedded/mandate";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => {
    const dir = path.resolve(process.env.PRISMA_DATA_DIR ?? ".data/prisma-cli");
    mkdirSync(dir, { recursive: true });
    return new PrismaPGlite(new PGlite(dir));
  },
});
