// npm run db:new-migration -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL that takes prisma/schema.prisma as committed (HEAD, or BASE=<git ref>) to the
// working copy. Prisma's --from-migrations needs a shadow database that it cannot drive through
// PGlite, so the committed schema stands in for the committed migrations; the integration test
// server/db/schema-drift.int.test.ts proves the two agree.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:new-migration -- <name_in_snake_case>");
  process.exit(2);
}

const scratch = mkdtempSync(path.join(tmpdir(), "mandate-migration-"));
try {
  const base = path.join(scratch, "schema.prisma");
  writeFileSync(
    base,
    execFileSync("git", ["show", `${process.env.BASE ?? "HEAD"}:prisma/schema.prisma`], { encoding: "utf8" }),
  );
  const diff = spawnSync(
    "npx",
    [
      "prisma",
      "migrate",
      "diff",
      "--from-schema-datamodel",
      base,
      "--to-schema-datamodel",
      "prisma/schema.prisma",
      "--script",
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (diff.status !== 0) {
    console.error(diff.stderr);
    process.exit(1);
  }
  if (/This is an empty migration/.test(diff.stdout)) {
    console.log("prisma/schema.prisma has not changed since the last commit: nothing to write.");
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), diff.stdout);
  console.log(`Wrote ${dir}/migration.sql. Review it, then run npx prisma generate.`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
