// npm run test:e2e: Playwright in Debian's Chromium against a freshly started Mandate.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { requireChromium } from "./require-chromium.mjs";

requireChromium();
mkdirSync("e2e/.auth", { recursive: true });
const result = spawnSync("npx", ["playwright", "test", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
