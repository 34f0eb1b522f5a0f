// The servers of bench/hot-paths.ts, each in a child process of its own so that its CPU can be
// read from /proc: the real production server (server.ts, NODE_ENV=production, as `npm start`
// runs it) and the references (bench/lib/reference-*.ts, which print {"origin": ...} once they
// listen). Their output goes to this process's stderr, so that stdout stays the report.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";

export interface ChildServer {
  origin: string;
  /** The process to read CPU from (with its descendants). */
  pid: number;
  /** From spawning the process to its first answer, ms. */
  startupMs: number;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");
/** How every script of this project is run (package.json): tsx, and the server-only hook. */
const TSX = ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs"];

function spawnNode(args: string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    // The server-only hook registers itself once per process: a child needs its own.
    env: { ...process.env, __MANDATE_HOOK_REGISTERED: undefined, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // Mandate shuts down on SIGTERM (and writes its --cpu-prof profiles then); 20 s at most.
      const kill = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.once("exit", () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill("SIGTERM");
    });
}

/** A reference server (bench/lib/reference-*.ts): waits for its {"origin"} line. */
export async function startReference(script: string, env: Record<string, string>): Promise<ChildServer> {
  const started = Date.now();
  const child = spawnNode([...TSX, script], env);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { origin: string }).origin);
    });
  });
  lines.on("line", (line) => process.stderr.write(`    [${path.basename(script)}] ${line}\n`));
  return { origin, pid: child.pid as number, startupMs: Date.now() - started, stop: stopper(child) };
}

/** A port free now, for a server that takes a fixed PORT (server.ts does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `npm start`'s first step: a production build of the console, unless the sources are unchanged. */
export function ensureBuild(): void {
  execFileSync(process.execPath, ["scripts/ensure-build.mjs"], { cwd: ROOT, stdio: ["ignore", 2, 2] });
}

export interface MandateOptions {
  /**
   * Its port (freePort()), the same for every process of one installation: tokens are for the API
   * at PUBLIC_URL, so a token issued by one process must be for the next one's address too.
   */
  port: number;
  /** DATABASE_URL, or for the embedded database DATA_DIR. */
  database: { url: string } | { dataDir: string };
  authSecret: string;
  /** PGAPPNAME: how its PostgreSQL backends are told apart from the others'. */
  applicationName: string;
  /** --cpu-prof into this folder (created). */
  cpuProfDir?: string;
}

/** The production server, with rate limits off and no demo seed; ready once discovery answers. */
export async function startMandate(options: MandateOptions): Promise<ChildServer> {
  const { port } = options;
  const origin = `http://127.0.0.1:${port}`;
  const profile = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  if (options.cpuProfDir) mkdirSync(options.cpuProfDir, { recursive: true });
  const started = Date.now();
  const child = spawnNode([...profile, ...TSX, "server.ts"], {
    NODE_ENV: "production",
    PORT: String(port),
    PUBLIC_URL: origin,
    AUTH_SECRET: options.authSecret,
    ...("url" in options.database
      ? { DATABASE_URL: options.database.url, DATA_DIR: undefined }
      : { DATABASE_URL: undefined, DATA_DIR: options.database.dataDir }),
    PGAPPNAME: options.applicationName,
    SEED_DEMO: "false",
    RATE_LIMIT_TOKEN_PER_MINUTE: "0",
    RATE_LIMIT_INTROSPECTION_PER_MINUTE: "0",
    RATE_LIMIT_DECISIONS_PER_MINUTE: "0",
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: "0",
    // WORKERS passes through from this process's environment (one process when unset).
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) =>
    process.stderr.write(`    [mandate] ${line}\n`),
  );
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`Mandate exited with ${code} before it answered`))),
  );
  exited.catch(() => {});
  const deadline = Date.now() + 120_000;
  for (;;) {
    const up = await Promise.race([
      fetch(`${origin}/.well-known/openid-configuration`).then(
        (r) => r.ok,
        () => false,
      ),
      exited,
    ]);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("Mandate did not answer within 120 s");
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { origin, pid: child.pid as number, startupMs: Date.now() - started, stop: stopper(child) };
}
