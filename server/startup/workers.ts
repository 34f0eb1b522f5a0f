import "server-only";
import cluster, { type Worker } from "node:cluster";

// The primary's side of the process model on PostgreSQL (server.ts): WORKERS copies of this
// program serve requests on one port (node:cluster hands each new connection to the next worker).
// A worker that dies is replaced after a pause that grows while they keep dying; stop() asks each
// to finish what it is answering and waits for them all.

/** The pause before replacing a worker: 1 s, doubling with every other death in the last minute, up to 30 s. */
export function restartDelay(recentExits: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, recentExits - 1));
}

export interface Workers {
  /** Sends SIGTERM to every worker and resolves once all have exited (SIGKILL after graceMs). */
  stop(graceMs?: number): Promise<void>;
}

export function startWorkers(count: number, opts: { onListening(count: number): void }): Workers {
  const live = new Set<Worker>();
  const exits: number[] = [];
  const pending = new Set<NodeJS.Timeout>();
  let stopping = false;
  let announced = false;
  let listening = 0;

  const fork = () => {
    // The server-only hook (scripts/server-only-hook.mjs) registers itself once per process and
    // marks that in the environment, which a worker would inherit: each needs its own.
    const worker = cluster.fork({ __MANDATE_HOOK_REGISTERED: undefined });
    live.add(worker);
    worker.once("listening", () => {
      listening++;
      if (announced) console.log(`Worker ${worker.process.pid} is serving (${live.size} of ${count}).`);
      else if (listening >= count) {
        announced = true;
        opts.onListening(count);
      }
    });
    worker.once("exit", (code, signal) => {
      live.delete(worker);
      if (stopping) return;
      const now = Date.now();
      exits.push(now);
      while (exits.length && exits[0] < now - 60_000) exits.shift();
      const delay = restartDelay(exits.length);
      console.error(
        `Worker ${worker.process.pid} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; starting another in ${delay / 1000} s.`,
      );
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (!stopping) fork();
      }, delay);
      pending.add(timer);
    });
  };
  for (let i = 0; i < count; i++) fork();

  return {
    stop(graceMs = 10_000) {
      stopping = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      const exited = [...live].map((w) => new Promise<void>((resolve) => w.once("exit", () => resolve())));
      for (const w of live) w.process.kill("SIGTERM");
      const killer = setTimeout(() => {
        for (const w of live) w.process.kill("SIGKILL");
      }, graceMs);
      return Promise.all(exited).then(() => clearTimeout(killer));
    },
  };
}
