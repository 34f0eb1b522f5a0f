// The top of a V8 CPU profile (a .cpuprofile from node --cpu-prof): the functions with the most
// self time, and the share of time by package (node_modules/<pkg>, Node's internals, Mandate's own
// files, Next's bundles of them), as markdown tables for BENCHMARKS.md. bench/hot-paths.ts calls it
// on Mandate's profiles when BENCH_CPU_PROF is set; it also runs alone:
//   node --import tsx bench/lib/profile-top.ts <file.cpuprofile> [functions, default 15] [skip ms, default 0]
// (skip: leave out the profile's first milliseconds, the process's start-up, so that the top is the
// requests' work)
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { markdownTable, ms, type Table } from "./harness";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Not work: the thread waiting for something to do. */
const IDLE = "(idle)";
const ROOT = path.resolve(import.meta.dirname, "../..");

/** Where a frame's code comes from: a package, Node itself, V8, or Mandate's own files. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return /^\(.*\)$/.test(functionName) ? functionName : "(V8 builtins and native code)";
  if (url.startsWith("node:")) return "node internals";
  if (url.startsWith("wasm://")) return "WebAssembly";
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const inModules = file.lastIndexOf("/node_modules/");
  if (inModules >= 0) {
    const [first, second] = file.slice(inModules + "/node_modules/".length).split("/");
    return `node_modules/${first.startsWith("@") ? `${first}/${second}` : first}`;
  }
  // Next's server bundles hold Mandate's route handlers and pages with what they import.
  if (file.includes("/.next/")) return ".next (Next's bundles of the app)";
  const relative = path.relative(ROOT, file);
  if (relative.startsWith("..")) return file;
  const [first, ...rest] = relative.split(path.sep);
  return `Mandate: ${first}${rest.length ? "/" : ""}`;
}

function location(url: string, line: number): string {
  if (!url) return "";
  const file = url.startsWith("file://") ? new URL(url).pathname : url;
  const inModules = file.lastIndexOf("/node_modules/");
  const short = inModules >= 0 ? file.slice(inModules + 1) : path.relative(ROOT, file) || file;
  return `${short}:${line + 1}`;
}

export interface ProfileTop {
  /** Sampled time, ms, idle excluded. */
  busyMs: number;
  idleMs: number;
  functions: Table;
  packages: Table;
}

/** The `top` functions and packages by self time after the first `skipMs`; shares are of the busy (non-idle) time. */
export function profileTop(file: string, top = 15, skipMs = 0): ProfileTop {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  // WebAssembly frames name no module worth reading (wasm://wasm/<hash>): they are charged to the
  // package whose JavaScript called into them (Prisma's query compiler, Cedar, PGlite).
  const wasmCaller = (id: number): string => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const { url, functionName } = (byId.get(at) as ProfileNode).callFrame;
      if (url && !url.startsWith("wasm://")) return `WebAssembly, called from ${packageOf(url, functionName)}`;
    }
    return "WebAssembly";
  };
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time from the previous sample to sample i: charged to sample i's frame.
  let elapsedUs = 0;
  for (const [i, id] of profile.samples.entries()) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, { name: string; where: string; pkg: string; us: number }>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    if (functionName === IDLE) {
      idleUs += us;
      continue;
    }
    const name = functionName || "(anonymous)";
    const where = location(url, lineNumber);
    const pkg = url.startsWith("wasm://") ? wasmCaller(id) : packageOf(url, functionName);
    const key = `${name} ${where}`;
    const f = functions.get(key) ?? { name, where, pkg, us: 0 };
    f.us += us;
    functions.set(key, f);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = [...packages.values()].reduce((a, b) => a + b, 0);
  const share = (us: number) => ((100 * us) / busyUs).toFixed(1);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: {
      head: ["Function", "Where", "Package", "Self ms", "Self %"],
      textColumns: 3,
      rows: [...functions.values()]
        .sort((a, b) => b.us - a.us)
        .slice(0, top)
        .map((f) => [`\`${f.name}\``, f.where ? `\`${f.where}\`` : "", f.pkg, ms(f.us / 1000), share(f.us)]),
    },
    packages: {
      head: ["Package", "Self ms", "Self %"],
      rows: [...packages]
        .sort(([, a], [, b]) => b - a)
        .slice(0, top)
        .map(([pkg, us]) => [pkg, ms(us / 1000), share(us)]),
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [file, top, skip] = process.argv.slice(2);
  if (!file) {
    console.error("Usage: node --import tsx bench/lib/profile-top.ts <file.cpuprofile> [top] [skip ms]");
    process.exit(2);
  }
  const result = profileTop(file, top ? Number(top) : 15, skip ? Number(skip) : 0);
  console.log(`${path.basename(file)}: ${ms(result.busyMs)} ms busy, ${ms(result.idleMs)} ms idle (sampled).\n`);
  console.log(`${markdownTable(result.functions)}\n\n${markdownTable(result.packages)}`);
}
