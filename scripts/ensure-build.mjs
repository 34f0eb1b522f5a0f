// `npm start` builds the console first when there is no production build, or when the sources
// changed since the last one, so that one command takes a fresh clone to a running Mandate.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOTS = [
  "app",
  "components",
  "lib",
  "server",
  "public",
  "proxy.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
];
const SKIP = new Set(["node_modules", ".next", ".data", "generated"]);
// Tests beside the code are not part of the build: editing one needs no new build.
const TESTS = /\.test\.tsx?$/;

function walk(p, out) {
  if (!existsSync(p)) return;
  const st = statSync(p);
  if (st.isDirectory()) {
    for (const name of readdirSync(p).sort()) if (!SKIP.has(name)) walk(path.join(p, name), out);
  } else if (!TESTS.test(p)) out.push(`${p}:${st.size}:${st.mtimeMs}`);
}

const files = [];
for (const r of ROOTS) walk(r, files);
const stamp = createHash("sha256").update(files.join("\n")).digest("hex");
const stampFile = path.join(".next", "mandate-build-stamp");
const built =
  existsSync(path.join(".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp;

if (!built) {
  console.log("Building the console (first start, or the sources changed)…");
  execSync("npx next build", { stdio: "inherit" });
  writeFileSync(stampFile, stamp);
}
