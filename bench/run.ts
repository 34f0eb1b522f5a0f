// npm run bench [-- name ...]: runs every benchmark module in bench/ (each *.ts file here except
// this one; helpers live in bench/lib/), or only the named ones, and prints a markdown section with
// its tables per benchmark on stdout. Progress goes to stderr. See BENCHMARKS.md.
import { readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type Benchmark, markdownTable } from "./lib/harness";

const dir = import.meta.dirname;
const available = readdirSync(dir, { withFileTypes: true })
  .filter((f) => f.isFile() && f.name.endsWith(".ts") && f.name !== "run.ts")
  .map((f) => f.name.slice(0, -".ts".length))
  .sort();

const requested = process.argv.slice(2).filter((a) => a.trim() !== "");
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(", ")}. Available: ${available.join(", ")}.`);
  process.exit(2);
}
const selected = requested.length > 0 ? requested : available;

console.log("# Mandate benchmarks\n");
console.log(
  `${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? "?"}) · ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM · ${os.platform()} ${os.release()} · load average ${loadAverage()}\n`,
);

/** Other work on the machine skews the figures: the report says how busy it was (1, 5 and 15 minutes). */
function loadAverage() {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
}

let failed = 0;
for (const name of selected) {
  const started = Date.now();
  console.error(`▶ ${name}`);
  try {
    const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default?: Benchmark };
    const bench = mod.default;
    if (!bench || typeof bench.run !== "function") throw new Error(`bench/${name}.ts has no default Benchmark export.`);
    const report = await bench.run();
    console.log(`## ${bench.title}\n`);
    for (const note of report.notes ?? []) console.log(`- ${note}`);
    if (report.notes?.length) console.log("");
    for (const table of report.tables) console.log(`${markdownTable(table)}\n`);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(`_${bench.name}: ${seconds} s in all; load average after it ${loadAverage()}._\n`);
    console.error(`✔ ${name} (${seconds} s)`);
  } catch (error) {
    failed++;
    console.error(`✘ ${name} failed:`, error);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
