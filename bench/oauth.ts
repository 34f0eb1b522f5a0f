// The authorization server over real HTTP: client_credentials grants and token introspections per
// second at a fixed number of requests in flight, on PGlite and on PostgreSQL side by side. Issue 4.
// Run alone with `npm run bench -- oauth`.
import os from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createCredential } from "../server/agents/credentials";
import { makeAgent, makeCaller, makeTenant } from "../tests/factories";
import { startOAuthServer } from "../tests/oauth-server";
import { BACKEND_LABEL, BACKENDS, type BackendKind, openBenchDatabase } from "./lib/databases";
import { type Benchmark, count, ms, percentile, progress, seededRandom, type Table } from "./lib/harness";

export const AGENTS = 50;
/** Requests in flight at once: a few busy clients, then many. */
export const CONCURRENCY = [16, 64];
/** The no-database baseline needs only enough requests in flight to keep the server busy. */
const BASELINE_CONCURRENCY = 16;
const WARMUP_MS = 2_000;
const DURATION_MS = 10_000;
/** Keycloak's sizing guide plans this many client-credential grants per second per vCPU. */
const KEYCLOAK_GRANTS_PER_VCPU = 120;
/** Ory Hydra's published benchmark: introspections per second, on 2 CPUs. */
const HYDRA_INTROSPECTIONS = 5_109;

interface BenchAgent {
  id: string;
  /** `Basic …` for client_secret_basic (RFC 6749 §2.3.1: form-encoded id and secret). */
  authorization: string;
}

interface Issued {
  agent: BenchAgent;
  token: string;
}

/** What one request came to: nothing when it succeeded, else why it counts as an error. */
type Outcome = string | undefined;

interface Load {
  concurrency: number;
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Gaps between ticks of a 10 ms timer meanwhile, ms: how long the process (console included) answered nothing. */
  loopDelay: { p99: number; max: number };
}

async function seedAgents(): Promise<BenchAgent[]> {
  const tenant = await makeTenant();
  const admin = await makeCaller({ global: "security_admin" });
  const agents: BenchAgent[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const agent = await makeAgent(admin, tenant.id, { status: "active" });
    const { secret } = await createCredential(admin, agent.id, { type: "client_secret", label: "bench" });
    if (!secret) throw new Error("createCredential returned no secret for a client_secret credential.");
    const basic = Buffer.from(`${encodeURIComponent(agent.id)}:${encodeURIComponent(secret)}`).toString("base64");
    agents.push({ id: agent.id, authorization: `Basic ${basic}` });
  }
  return agents;
}

/**
 * Keeps `concurrency` requests in flight for `durationMs` (each loop starts its next request when
 * its last one is answered) and times every request from send to the end of its body.
 */
async function load(concurrency: number, durationMs: number, request: () => Promise<Outcome>): Promise<Load> {
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
        outcome = (error as Error).message;
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

type Operation = "grant" | "introspection" | "jwks";
interface Row {
  label: string;
  operation: Operation;
  concurrency: number;
}
const key = (operation: Operation, concurrency: number) => `${operation} ${concurrency}`;

const FORM = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };

/** Warm-up, then the timed run; fails the benchmark on any error rather than report a rate of failures. */
async function phase(label: string, concurrency: number, request: () => Promise<Outcome>): Promise<Load> {
  progress(`${label}, ${concurrency} in flight: ${WARMUP_MS / 1000} s warm-up, ${DURATION_MS / 1000} s timed`);
  const warm = await load(concurrency, WARMUP_MS, request);
  const timed = await load(concurrency, DURATION_MS, request);
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

async function runOn(kind: BackendKind) {
  const bench = await openBenchDatabase(kind);
  try {
    progress(`${bench.version}: seeding ${AGENTS} active agents with a client secret each`);
    const agents = await seedAgents();
    // Mandate refreshes statistics at start (the embedded database has no autovacuum).
    await bench.db.sql.exec("ANALYZE");
    const server = await startOAuthServer();
    try {
      const token = `${server.issuer}/oauth/token`;
      const introspect = `${server.issuer}/oauth/introspect`;
      const rnd = seededRandom(4);
      const issued: Issued[] = [];

      const grant = async (): Promise<Outcome> => {
        const agent = agents[rnd.int(0, agents.length)];
        const res = await fetch(token, {
          method: "POST",
          headers: { ...FORM, authorization: agent.authorization },
          body: "grant_type=client_credentials",
        });
        const body = (await res.json()) as { access_token?: string; error?: string };
        if (res.status !== 200 || typeof body.access_token !== "string") {
          return `HTTP ${res.status} ${body.error ?? JSON.stringify(body)}`;
        }
        issued.push({ agent, token: body.access_token });
      };
      const introspection = async (): Promise<Outcome> => {
        const { agent, token } = issued[rnd.int(0, issued.length)];
        const res = await fetch(introspect, {
          method: "POST",
          headers: { ...FORM, authorization: agent.authorization },
          body: `token=${encodeURIComponent(token)}`,
        });
        const body = (await res.json()) as { active?: boolean; client_id?: string; error?: string };
        if (res.status !== 200) return `HTTP ${res.status} ${body.error ?? JSON.stringify(body)}`;
        if (body.active !== true || body.client_id !== agent.id) return `not active: ${JSON.stringify(body)}`;
      };

      const jwks = async (): Promise<Outcome> => {
        const res = await fetch(`${server.issuer}/oauth/jwks`, { headers: { accept: "application/json" } });
        const body = (await res.json()) as { keys?: unknown[] };
        if (res.status !== 200 || !body.keys?.length) return `HTTP ${res.status} ${JSON.stringify(body)}`;
      };

      const label = BACKEND_LABEL[kind];
      const loads = new Map<string, Load>();
      for (const c of CONCURRENCY)
        loads.set(key("grant", c), await phase(`${label}: client_credentials grants`, c, grant));
      for (const c of CONCURRENCY) {
        loads.set(key("introspection", c), await phase(`${label}: introspections`, c, introspection));
      }
      loads.set(
        key("jwks", BASELINE_CONCURRENCY),
        await phase(`${label}: JWKS (no database)`, BASELINE_CONCURRENCY, jwks),
      );

      // Every issued token is a token row and an "oauth.token.issued" audit event, written together.
      const db = bench.db.prisma;
      const [tokenRows, auditEvents] = await Promise.all([
        db.token.count({ where: { kind: "CLIENT_CREDENTIALS" } }),
        db.auditEvent.count({ where: { action: "oauth.token.issued" } }),
      ]);
      if (tokenRows !== issued.length || auditEvents !== issued.length) {
        throw new Error(`${issued.length} tokens issued, but ${tokenRows} token rows and ${auditEvents} audit events.`);
      }
      return { version: bench.version, loads, issued: issued.length };
    } finally {
      await server.close();
    }
  } finally {
    await bench.close();
  }
}

const benchmark: Benchmark = {
  name: "oauth",
  title: "Authorization server (issue 4)",
  async run() {
    const byBackend = new Map<BackendKind, Awaited<ReturnType<typeof runOn>>>();
    for (const kind of BACKENDS) byBackend.set(kind, await runOn(kind));
    const on = (kind: BackendKind) => byBackend.get(kind) as Awaited<ReturnType<typeof runOn>>;
    const cpus = os.cpus().length;

    const rows: Row[] = [
      ...CONCURRENCY.map((c) => ({ label: "client_credentials grant", operation: "grant" as const, concurrency: c })),
      ...CONCURRENCY.map((c) => ({ label: "Introspection", operation: "introspection" as const, concurrency: c })),
      { label: "JWKS (no database)", operation: "jwks", concurrency: BASELINE_CONCURRENCY },
    ];
    const reference: Record<Operation, string> = {
      grant: `${count(KEYCLOAK_GRANTS_PER_VCPU * cpus)} (Keycloak, ${cpus} vCPUs)`,
      introspection: `${count(HYDRA_INTROSPECTIONS)} (Hydra, 2 CPUs)`,
      jwks: "",
    };
    const loadOf = (k: BackendKind, operation: Operation, c: number) => on(k).loads.get(key(operation, c)) as Load;
    const results: Table = {
      caption: `Requests per second over HTTP, ${DURATION_MS / 1000} s timed per row after ${WARMUP_MS / 1000} s of warm-up; latency in ms from sending the request to the end of the answer's body:`,
      head: [
        "Operation",
        "In flight",
        ...BACKENDS.flatMap((k) => [`${BACKEND_LABEL[k]} req/s`, `${BACKEND_LABEL[k]} p50`, `${BACKEND_LABEL[k]} p99`]),
        "Reference req/s",
      ],
      rows: rows.map(({ label, operation, concurrency }) => [
        label,
        concurrency,
        ...BACKENDS.flatMap((k) => {
          const l = loadOf(k, operation, concurrency);
          return [count(Math.round(l.perSecond)), ms(l.p50), ms(l.p99)];
        }),
        reference[operation],
      ]),
    };
    const checked: Table = {
      caption:
        "Requests timed and errors (a non-200 answer, no access_token, or an introspection not active: true for the token's own agent; any error fails the run):",
      head: [
        "Operation",
        "In flight",
        ...BACKENDS.flatMap((k) => [`${BACKEND_LABEL[k]} requests`, `${BACKEND_LABEL[k]} errors`]),
      ],
      rows: rows.map(({ label, operation, concurrency }) => [
        label,
        concurrency,
        ...BACKENDS.flatMap((k) => {
          const l = loadOf(k, operation, concurrency);
          return [count(l.requests), l.errors];
        }),
      ]),
    };
    const loopDelay: Table = {
      caption:
        "Event loop during each timed row: the gap between ticks of a 10 ms timer (perf_hooks.monitorEventLoopDelay; 10 when idle), ms. In server.ts the console shares this loop:",
      head: [
        "Operation",
        "In flight",
        ...BACKENDS.flatMap((k) => [`${BACKEND_LABEL[k]} p99`, `${BACKEND_LABEL[k]} max`]),
      ],
      rows: rows.map(({ label, operation, concurrency }) => [
        label,
        concurrency,
        ...BACKENDS.flatMap((k) => {
          const { loopDelay } = loadOf(k, operation, concurrency);
          return [ms(loopDelay.p99), ms(loopDelay.max)];
        }),
      ]),
    };
    return {
      notes: [
        `Backends: ${BACKENDS.map((k) => on(k).version).join("; ")}. Each is a fresh database (PGlite in memory, in this process), migrated, seeded, analyzed, dropped after.`,
        `Data: one tenant, a security admin, ${AGENTS} active agents each with one client secret (no roles, so tokens carry no scope).`,
        `The authorization server (oidc-provider, as server.ts mounts it) listens on 127.0.0.1 in this process; the load comes from the same process, through fetch (undici, keep-alive connections, about one per request in flight). The server is one Node thread (PGlite runs on it too); the machine's ${cpus} CPUs are shared by the server, the client and, for PostgreSQL, the database server.`,
        "Grant: POST /oauth/token, grant_type=client_credentials, client_secret_basic, a random agent per request. Each issued token writes a token row (the SHA-256 of its value) and an oauth.token.issued audit event in one transaction; the run checks both counts against the tokens issued.",
        "Introspection: POST /oauth/introspect of a random token issued above, authenticated as the agent that holds it; every answer must be active: true with the agent's client_id. Introspection re-reads the database on every call (the client, its secret, the token with its agent and grant): no cache, by design, so that a revocation or suspension counts from the next request.",
        `Reference figures, beside Mandate's: Keycloak's sizing guide plans ${KEYCLOAK_GRANTS_PER_VCPU} client-credential grants per second per vCPU, so ${count(KEYCLOAK_GRANTS_PER_VCPU * cpus)}/s for the ${cpus} vCPUs here; Ory Hydra's published benchmark did ${count(HYDRA_INTROSPECTIONS)} introspections per second on 2 CPUs. Neither was run here: other machines, other setups, other load generators.`,
        "JWKS: GET /oauth/jwks, which reads no database: what HTTP, oidc-provider and the client in this process cost alone.",
        `Tokens issued in all (warm-up included): ${BACKENDS.map((k) => `${BACKEND_LABEL[k]} ${count(on(k).issued)}`).join(", ")}. Any error fails the run.`,
      ],
      tables: [results, checked, loopDelay],
    };
  },
};

export default benchmark;
