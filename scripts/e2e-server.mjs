// Starts Mandate for the browser tests: a fresh embedded database with the demo world, on a
// production build that matches the sources (rebuilt when they changed).
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";

rmSync(process.env.DATA_DIR ?? ".data/e2e", { recursive: true, force: true });
// A second instance waits for the first (E2E_AFTER, its health URL), so that only one builds.
if (process.env.E2E_AFTER) {
  for (let ready = false; !ready; ) {
    ready = await fetch(process.env.E2E_AFTER).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
await import("./ensure-build.mjs");
const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "server.ts"], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
