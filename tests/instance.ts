// Starts tests/instance-process.ts as a child process: a second Mandate instance on the same
// database, sharing nothing with this one but the database, as two servers behind a load balancer.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export interface Instance {
  origin: string;
  stop(): Promise<void>;
}

export async function startInstance(vars: { databaseUrl: string; publicUrl: string; authSecret: string }) {
  const root = path.resolve(import.meta.dirname, "..");
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "tests/instance-process.ts"],
    {
      cwd: root,
      env: {
        ...process.env,
        // The server-only hook registers itself once per process: this child needs its own.
        __MANDATE_HOOK_REGISTERED: undefined,
        NODE_ENV: "production",
        DATABASE_URL: vars.databaseUrl,
        PUBLIC_URL: vars.publicUrl,
        AUTH_SECRET: vars.authSecret,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the instance did not start within 60 s")), 60_000);
    child.once("exit", (code) => reject(new Error(`the instance exited with ${code}`)));
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { origin: string }).origin);
    });
  });
  return {
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  } satisfies Instance;
}
