// npm test: every suite (unit, integration on PGlite and on PostgreSQL, browser, the MCP
// conformance suite's authorization-server scenarios), then one line "N passed, N failed" that sums
// them all.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { requireChromium } from "./require-chromium.mjs";

// Not test-results/: Playwright empties that folder when it starts.
const out = path.resolve(".test-reports");
mkdirSync(out, { recursive: true });
const vitestJson = path.join(out, "vitest.json");
const playwrightJson = path.join(out, "playwright.json");
const conformanceJson = path.join(out, "mcp-conformance.json");
rmSync(vitestJson, { force: true });
rmSync(playwrightJson, { force: true });
rmSync(conformanceJson, { force: true });

requireChromium();
mkdirSync("e2e/.auth", { recursive: true });

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } }).status ?? 1;

// The production build, first and alone: the integration test of the real server
// (server/startup/workers.int.test.ts) and the browser tests both start Mandate on it.
console.log("\n== Production build (when the sources changed) ==");
if (run(process.execPath, ["scripts/ensure-build.mjs"], { NODE_ENV: "production" }) !== 0) {
  console.log("\n0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

console.log("\n== Unit and integration tests (Vitest: unit, PGlite, PostgreSQL) ==");
const vitestStatus = run("npx", [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${vitestJson}`,
]);

console.log("\n== Browser tests (Playwright, Chromium) ==");
const playwrightStatus = run("npx", ["playwright", "test", "--reporter=list,json"], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
});

// Writes its own report (one test per scenario) to .test-reports/mcp-conformance.json.
console.log("\n== MCP conformance (authorization-server scenarios of @modelcontextprotocol/conformance) ==");
const conformanceStatus = run(process.execPath, ["scripts/mcp-conformance.mjs"]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
} else failed += 1;
if (existsSync(playwrightJson)) {
  const s = JSON.parse(readFileSync(playwrightJson, "utf8")).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
} else failed += 1;
if (existsSync(conformanceJson)) {
  const c = JSON.parse(readFileSync(conformanceJson, "utf8"));
  passed += c.passed;
  failed += c.failed;
  skipped += c.notApplicable;
} else failed += 1;

// A suite that crashed before reporting counts as a failure even if its JSON looks clean.
if (vitestStatus !== 0 && failed === 0) failed += 1;
if (playwrightStatus !== 0 && failed === 0) failed += 1;
if (conformanceStatus !== 0 && failed === 0) failed += 1;

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || vitestStatus !== 0 || playwrightStatus !== 0 || conformanceStatus !== 0 ? 1 : 0);
