// CPU time from /proc, for CPU per request (PLATFORM.md, "Measuring CPU per request"): a server's
// whole process tree (the parent and every descendant, workers included) and the PostgreSQL
// backends serving one application. Requests per second swing on a shared machine; CPU time per
// request much less. Linux only.
import { readdirSync, readFileSync } from "node:fs";
import type pg from "pg";

/** Clock ticks per second of utime and stime (`getconf CLK_TCK`: 100 on Linux everywhere). */
const CLK_TCK = 100;

interface Stat {
  pid: number;
  ppid: number;
  /** utime + stime, ms. */
  cpuMs: number;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // gone meanwhile
  }
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
  const ticks = Number(rest[11]) + Number(rest[12]);
  return { pid, ppid: Number(rest[1]), cpuMs: (ticks * 1000) / CLK_TCK };
}

/** CPU ms used so far by each process of the tree rooted at `root`, by pid. */
export function treeCpu(root: number): Map<number, number> {
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((s): s is Stat => s !== undefined);
  const children = new Map<number, Stat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const out = new Map<number, number>();
  const rootStat = stats.find((s) => s.pid === root);
  const queue = rootStat ? [rootStat] : [];
  while (queue.length) {
    const s = queue.shift() as Stat;
    out.set(s.pid, s.cpuMs);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** CPU ms used so far by the given pids (those still there). */
export function pidsCpu(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) out.set(pid, s.cpuMs);
  }
  return out;
}

/** The pids of the PostgreSQL backends connected to `database` as `application`. */
export async function backendPids(admin: pg.Client, database: string, application: string): Promise<number[]> {
  const { rows } = await admin.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2",
    [database, application],
  );
  return rows.map((r) => r.pid);
}

/**
 * CPU ms used between two samples: processes that appeared meanwhile count from 0; those that
 * ended meanwhile are lost (their last figures are not readable any more).
 */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}
