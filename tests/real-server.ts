// The real Mandate server (server.ts on a production build, as `npm start` runs it) in a process of
// its own, for tests of the process model; and, from Linux's /proc, which of its processes holds
// each of a client's connections, so that a test can tell its workers apart without the server
// saying anything about itself.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";

const ROOT = path.resolve(import.meta.dirname, "..");

/** This process's environment without Vitest's, and without the server-only hook's mark. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith("VITEST") || key === "__MANDATE_HOOK_REGISTERED") delete env[key];
  return { ...env, NODE_ENV: "production" };
}

/** Builds the console when there is no build of these sources (scripts/ensure-build.mjs: the browser tests reuse it). */
export function ensureBuild(): void {
  execFileSync(process.execPath, ["scripts/ensure-build.mjs"], { cwd: ROOT, env: cleanEnv(), stdio: "inherit" });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RealServer {
  origin: string;
  port: number;
  pid: number;
  /** Every line it printed so far. */
  lines: string[];
  /** Resolves with the first line (printed so far or later) that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, and the exit code once it has exited. */
  stop(): Promise<number | null>;
}

export async function startRealServer(env: Record<string, string>): Promise<RealServer> {
  const port = Number(env.PORT ?? (await freePort()));
  const origin = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "server.ts"],
    {
      cwd: ROOT,
      env: { ...cleanEnv(), PUBLIC_URL: origin, ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      if (process.env.MANDATE_TEST_SERVER_LOG) console.log(`[server] ${line}`);
      for (const check of waiting) check();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (pattern: RegExp, timeoutMs = 120_000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line) {
          waiting.delete(check);
          clearTimeout(timer);
          resolve(line);
        }
      };
      const timer = setTimeout(() => {
        waiting.delete(check);
        reject(new Error(`the server did not print ${pattern} within ${timeoutMs} ms:\n${lines.join("\n")}`));
      }, timeoutMs);
      waiting.add(check);
      void exited.then((code) => {
        if (waiting.delete(check)) {
          clearTimeout(timer);
          reject(new Error(`the server exited with ${code}:\n${lines.join("\n")}`));
        }
      });
      check();
    });
  return {
    origin,
    port,
    pid: child.pid as number,
    lines,
    waitFor,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The processes a process started that run server.ts (its workers), by pid. */
export function workerPids(primary: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The parent pid is the second field after the command name (which may hold spaces).
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === primary && readFileSync(`/proc/${name}/cmdline`, "utf8").includes("server.ts"))
        pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids.sort((a, b) => a - b);
}

export function isAlive(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/**
 * Which of `pids` holds the server's end of each TCP connection to `serverPort`, by the client's
 * port: /proc/net/tcp{,6} maps a connection's ports to its socket's inode, and a process's
 * /proc/<pid>/fd links name the inodes of the sockets it holds.
 */
export function connectionOwners(pids: number[], serverPort: number): Map<number, number> {
  const ownerOfInode = new Map<string, number>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) ownerOfInode.set(m[1], pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  const owners = new Map<number, number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(table)) continue;
    for (const row of readFileSync(table, "utf8").trim().split("\n").slice(1)) {
      const f = row.trim().split(/\s+/);
      const localPort = Number.parseInt(f[1].split(":")[1], 16);
      const remotePort = Number.parseInt(f[2].split(":")[1], 16);
      const owner = ownerOfInode.get(f[9]);
      if (localPort === serverPort && owner !== undefined) owners.set(remotePort, owner);
    }
  }
  return owners;
}

export interface Answer {
  status: number;
  text: string;
  /** The client's port of the connection it came back on. */
  via: number;
}

/** One HTTP request through `agent` (keep-alive: connections stay open to be looked up). */
export function request(
  agent: http.Agent,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // Named, or Node sends a DELETE's body with neither a length nor chunks (the server sees none).
    const length = init.body === undefined ? {} : { "content-length": String(Buffer.byteLength(init.body)) };
    const headers = { ...init.headers, ...length };
    const req = http.request(url, { agent, method: init.method ?? "GET", headers }, (res) => {
      const via = res.socket?.localPort ?? 0;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), via }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}
