// Closed-loop load for HTTP benchmarks: a fixed number of requests always in flight, each loop
// sending its next request when its last one is answered, with latency percentiles and the event
// loop's delay meanwhile. The same method as bench/oauth.ts.
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { count, ms, percentile, progress } from "./harness";

/** What one request came to: nothing when it succeeded, else why it counts as an error. */
export type Outcome = string | undefined;

export interface Load {
  concurrency: number;
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Gaps between ticks of a 10 ms timer meanwhile, ms: how long the process answered nothing. */
  loopDelay: { p99: number; max: number };
}

/** Keeps `concurrency` requests in flight for `durationMs`, timing each from send to the end of its body. */
export async function load(concurrency: number, durationMs: number, request: () => Promise<Outcome>): Promise<Load> {
  const samples: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      let outcome: Outcome;
      try {
        outcome = await request();
      } catch (error) {
        // fetch says only "fetch failed": the reason is its cause (a reset, a refused connection).
        const { message, cause } = error as Error & { cause?: { code?: string; message?: string } };
        outcome = cause ? `${message}: ${cause.code ?? cause.message}` : message;
      }
      samples.push(performance.now() - t);
      if (outcome !== undefined) {
        errors++;
        firstError ??= outcome;
      }
    }
  };
  loop.enable();
  await Promise.all(Array.from({ length: concurrency }, client));
  loop.disable();
  const seconds = (performance.now() - start) / 1000;
  samples.sort((a, b) => a - b);
  return {
    concurrency,
    requests: samples.length,
    errors,
    firstError,
    seconds,
    perSecond: samples.length / seconds,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}

/** Warm-up, then the timed run; throws on any error rather than report a rate of failures. */
export async function timedLoad(
  label: string,
  concurrency: number,
  { warmupMs, durationMs, beforeTimed }: { warmupMs: number; durationMs: number; beforeTimed?: () => void },
  request: () => Promise<Outcome>,
): Promise<Load> {
  progress(`${label}, ${concurrency} in flight: ${warmupMs / 1000} s warm-up, ${durationMs / 1000} s timed`);
  const warm = await load(concurrency, warmupMs, request);
  // Every warm-up request has been answered by now: tallies reset here count the timed run alone.
  beforeTimed?.();
  const timed = await load(concurrency, durationMs, request);
  for (const run of [warm, timed]) {
    if (run.errors > 0) {
      throw new Error(
        `${label}, ${concurrency} in flight: ${run.errors} of ${run.requests} failed; first: ${run.firstError}`,
      );
    }
  }
  progress(`  ${count(Math.round(timed.perSecond))}/s, p50 ${ms(timed.p50)} ms, p99 ${ms(timed.p99)} ms`);
  return timed;
}
