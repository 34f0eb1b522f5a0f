// Shared pieces of the benchmarks in bench/: what a benchmark module exports, timing, tables.
import { performance } from "node:perf_hooks";
import { seededRandom as mulberry32 } from "../../lib/seeded-random";

/** One markdown table; cells are printed as given. */
export interface Table {
  caption?: string;
  head: string[];
  /** How many leading columns are text (left-aligned); the rest are figures. Default 1. */
  textColumns?: number;
  rows: (string | number)[][];
}

export interface BenchmarkReport {
  /** Lines printed above the tables (data set, versions, caveats). */
  notes?: string[];
  tables: Table[];
}

/**
 * A benchmark module in bench/ default-exports one of these; bench/run.ts finds it by file name
 * (`npm run bench -- agents-list` runs bench/agents-list.ts only).
 */
export interface Benchmark {
  name: string;
  title: string;
  run(): Promise<BenchmarkReport>;
}

export interface Timing<T> {
  runs: number;
  p50: number;
  p95: number;
  max: number;
  /** What the last timed call returned, for sanity checks. */
  last: T;
}

/** Calls fn `warmup` times untimed, then `runs` times one after another, timing each call. */
export async function measure<T>(fn: () => Promise<T>, { warmup = 5, runs = 50 } = {}): Promise<Timing<T>> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    last = await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return {
    runs,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples[samples.length - 1],
    last: last as T,
  };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
export const count = (n: number) => n.toLocaleString("en-US");

export function markdownTable(table: Table): string {
  const cell = (v: string | number) => String(v).replaceAll("|", "\\|");
  const lines = [
    `| ${table.head.map(cell).join(" | ")} |`,
    `| ${table.head.map((_, i) => (i < (table.textColumns ?? 1) ? "---" : "---:")).join(" | ")} |`,
    ...table.rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
  return table.caption ? `${table.caption}\n\n${lines.join("\n")}` : lines.join("\n");
}

/** Progress goes to stderr, so that stdout is the markdown report alone. */
export const progress = (message: string) => console.error(`  … ${message}`);

/** A small seeded generator (mulberry32), so that every run seeds the same data. */
export function seededRandom(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (min: number, maxExclusive: number) => min + Math.floor(next() * (maxExclusive - min)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    /** Picks a key with probability proportional to its weight. */
    weighted: <K extends string>(weights: Record<K, number>): K => {
      const entries = Object.entries(weights) as [K, number][];
      let r = next() * entries.reduce((s, [, w]) => s + w, 0);
      for (const [k, w] of entries) {
        r -= w;
        if (r < 0) return k;
      }
      return entries[entries.length - 1][0];
    },
  };
}
