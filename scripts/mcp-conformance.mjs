// npm run test:conformance: the official MCP conformance suite's authorization-server scenarios
// (@modelcontextprotocol/conformance, `conformance authorization`) against a freshly started
// Mandate. The production build on a fresh embedded database; the suite's client a public MCP
// client identified by a Client ID Metadata Document served here over https on loopback; a tenant
// opening one scope to unapproved clients; and the person's part of the authorization code flow
// (sign in, choose the tenant, consent) done here over HTTP when the suite prints its URL. Prints one row per scenario (pass, fail
// or not applicable, with why), writes .test-reports/mcp-conformance.json for scripts/test.mjs,
// and exits non-zero if an applicable scenario fails.
//
// MCP_CONFORMANCE_PORT (3240) is Mandate's port, MCP_CONFORMANCE_CALLBACK_PORT (3241) the suite's
// redirect URI listener; MCP_CONFORMANCE_BIN runs another copy of the suite; MCP_CONFORMANCE_DEBUG
// prints each step of the sign-in and consent.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { loopbackCertificate } from "./loopback-certificate.mjs";

const PORT = Number(process.env.MCP_CONFORMANCE_PORT ?? 3240);
const CALLBACK_PORT = Number(process.env.MCP_CONFORMANCE_CALLBACK_PORT ?? 3241);
const ISSUER = `http://localhost:${PORT}`;
const REDIRECT_URI = `http://127.0.0.1:${CALLBACK_PORT}/callback`;
const SCOPE = "conformance.read";
// The suite's run must fit in the CI budget; its own wait for the consent is 5 minutes.
const SUITE_DEADLINE_MS = 120_000;
const START_DEADLINE_MS = 180_000;
const BIN = path.resolve(process.env.MCP_CONFORMANCE_BIN ?? "node_modules/.bin/conformance");

if (!existsSync(BIN)) {
  console.error(`No conformance suite at ${BIN}: install the devDependencies (npm ci).`);
  process.exit(1);
}

const reports = path.resolve(".test-reports");
const reportJson = path.join(reports, "mcp-conformance.json");
const rawDir = path.join(reports, "mcp-conformance");
mkdirSync(reports, { recursive: true });
rmSync(reportJson, { force: true });
rmSync(rawDir, { recursive: true, force: true });

const work = mkdtempSync(path.join(os.tmpdir(), "mandate-conformance-"));
const serverLog = path.join(work, "server.log");
const admin = { id: "conformance-admin", secret: randomBytes(24).toString("hex") };
const person = { email: "consenting.person@conformance.example", password: randomBytes(12).toString("hex") };
let tenantId = "";

// The suite's client is a public MCP client that identifies itself by a Client ID Metadata
// Document: served here over https on loopback, with a certificate made for this run that the
// started Mandate trusts (NODE_EXTRA_CA_CERTS) and reaches only because OUTBOUND_ALLOW names
// 127.0.0.1. Mandate fetches it through its guarded fetcher like any other.
const certFile = path.join(work, "cert.pem");
const keyFile = path.join(work, "key.pem");

let documents;
async function serveClientDocument() {
  const https = await import("node:https");
  documents = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const url = `https://127.0.0.1:${documents.address().port}${req.url}`;
    if (req.url !== "/conformance-client.json") return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" }).end(
      JSON.stringify({
        client_id: url,
        client_name: "MCP conformance suite",
        redirect_uris: [REDIRECT_URI],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      }),
    );
  });
  await new Promise((resolve) => documents.listen(0, "127.0.0.1", resolve));
  return `https://127.0.0.1:${documents.address().port}/conformance-client.json`;
}

/** Ends the run: the report for scripts/test.mjs, the server stopped, the scratch data removed. */
async function finish(scenarios, setupError) {
  const rows = scenarios.map((s) => ({ ...s, result: resultOf(s) }));
  if (setupError) rows.push({ scenario: "(set-up)", checks: [], result: "fail", why: setupError });
  printTable(rows);
  const passed = rows.filter((r) => r.result === "pass").length;
  const failed = rows.filter((r) => r.result === "fail").length;
  const notApplicable = rows.filter((r) => r.result === "not applicable").length;
  writeFileSync(
    reportJson,
    JSON.stringify({ passed, failed, notApplicable, issuer: ISSUER, scenarios: rows }, null, 2),
  );
  console.log(`\n${passed} passed, ${failed} failed, ${notApplicable} not applicable (${reportJson})`);
  await stopServer();
  documents?.close();
  if (failed > 0 && existsSync(serverLog)) console.log(`\nMandate's log: ${serverLog}`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(failed > 0 ? 1 : 0);
}

/** A scenario fails when one of its checks fails; it does not apply when the suite skipped it. */
function resultOf(s) {
  if (s.result) return s.result;
  const statuses = s.checks.map((c) => c.status);
  if (statuses.includes("FAILURE") || statuses.length === 0) return "fail";
  if (statuses.every((x) => x === "SKIPPED")) return "not applicable";
  return "pass";
}

function printTable(rows) {
  console.log("\n== MCP conformance: authorization-server scenarios ==");
  const width = Math.max(...rows.map((r) => r.scenario.length), 8);
  for (const r of rows) {
    console.log(`${r.scenario.padEnd(width)}  ${r.result}${r.why ? `: ${r.why}` : ""}`);
    for (const c of r.checks) {
      const note = c.errorMessage ? ` (${c.errorMessage})` : "";
      console.log(`${"".padEnd(width)}    ${c.status.padEnd(8)} ${c.id}${note}`);
    }
  }
}

let server;
/** SIGTERM, then the server's own graceful exit (10 s at most) before its data is removed. */
function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  return Promise.race([exited, sleep(10_000)]);
}
process.on("exit", stopServer);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startMandate() {
  const build = spawnSync(process.execPath, ["scripts/ensure-build.mjs"], {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) throw new Error("the production build failed");
  const { openSync } = await import("node:fs");
  const log = openSync(serverLog, "a");
  server = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "server.ts"], {
    stdio: ["ignore", log, log],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      PUBLIC_URL: ISSUER,
      DATA_DIR: path.join(work, "data"),
      DATABASE_URL: "",
      SEED_DEMO: "false",
      BOOTSTRAP_ADMIN_CLIENT_ID: admin.id,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: admin.secret,
      NODE_EXTRA_CA_CERTS: certFile,
      OUTBOUND_ALLOW: "127.0.0.1",
    },
  });
  const deadline = Date.now() + START_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Mandate exited with ${server.exitCode} (log: ${serverLog})`);
    const up = await fetch(`${ISSUER}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await sleep(300);
  }
  throw new Error(`Mandate did not answer ${ISSUER}/api/health within ${START_DEADLINE_MS / 1000} s`);
}

async function adminApi(token, route, body, method = body === undefined ? "GET" : "POST") {
  const response = await fetch(`${ISSUER}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /api/v1${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * A tenant with one scope open to MCP clients it has not approved yet, and an owner who will
 * consent. The suite's request names no scope: Mandate's default for a connected client is the
 * open scopes, which the consent page narrows to the chosen tenant's.
 */
async function setUp(clientId) {
  const tokenResponse = await fetch(`${ISSUER}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${admin.id}:${admin.secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  if (!tokenResponse.ok) throw new Error(`admin token: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const { access_token: token } = await tokenResponse.json();
  const tenant = await adminApi(token, "/tenants", { slug: "conformance", name: "Conformance" });
  tenantId = tenant.id;
  await adminApi(token, "/users", {
    email: person.email,
    name: "Consenting Person",
    tenant: "conformance",
    role: "owner",
    password: person.password,
  });
  await adminApi(token, "/scopes", {
    name: SCOPE,
    description: "Read what the conformance client may read",
    risk: "low",
    tenant: "conformance",
  });
  await adminApi(token, "/tenants/conformance/mcp-clients/open-scopes", { scopes: [SCOPE] }, "PUT");
  return { clientId };
}

class CookieJar {
  cookies = new Map();
  take(response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      const value = pair.slice(i + 1).trim();
      if (value) this.cookies.set(pair.slice(0, i).trim(), value);
      else this.cookies.delete(pair.slice(0, i).trim());
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * The browser's part: open the suite's authorization URL, sign in to the console with a password,
 * allow on the consent page, and follow the redirect back to the suite's callback listener.
 */
async function consent(authorizationUrl) {
  const jar = new CookieJar();
  const step = async (url, init = {}) => {
    const response = await fetch(new URL(url, ISSUER), {
      ...init,
      redirect: "manual",
      headers: { ...init.headers, cookie: jar.header() },
    });
    jar.take(response);
    if (process.env.MCP_CONFORMANCE_DEBUG) {
      console.log(`  > ${init.method ?? "GET"} ${url} → ${response.status} ${response.headers.get("location") ?? ""}`);
    }
    return response;
  };
  const where = (response) => response.headers.get("location") ?? "";

  const start = await step(authorizationUrl);
  const interaction = where(start);
  if (!/^\/oauth\/interaction\/[\w-]+$/.test(new URL(interaction, ISSUER).pathname)) {
    throw new Error(`the authorization request did not reach the consent page: ${start.status} ${interaction}`);
  }
  const csrf = await step("/api/auth/csrf");
  const { csrfToken } = await csrf.json();
  const signIn = await step("/api/auth/callback/password", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ISSUER },
    body: new URLSearchParams({ csrfToken, email: person.email, password: person.password, json: "true" }),
  });
  if (![...jar.cookies.keys()].some((k) => k.endsWith("next-auth.session-token"))) {
    throw new Error(`signing in failed: ${signIn.status} ${where(signIn)}`);
  }
  const page = await step(interaction);
  const html = await page.text();
  if (page.status !== 200 || !html.includes(SCOPE)) {
    throw new Error(`the consent page (${page.status}) does not offer ${SCOPE}`);
  }
  const answer = await step(`${new URL(interaction, ISSUER).pathname}/confirm`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ISSUER },
    body: new URLSearchParams({ scope: SCOPE, tenant: tenantId }),
  });
  if (answer.status !== 303) throw new Error(`the consent was refused: ${answer.status}`);
  const resumed = await step(where(answer));
  const back = where(resumed);
  if (!back.startsWith(REDIRECT_URI)) throw new Error(`no redirect to the client: ${resumed.status} ${back}`);
  // Hand the authorization response to the suite, as the browser would.
  await fetch(back);
}

/** Runs the suite; resolves to its scenarios' checks, read from the results it saved. */
function runSuite(client) {
  const args = [
    BIN,
    "authorization",
    "--url",
    ISSUER,
    "--client-id",
    client.clientId,
    "--resource",
    `${ISSUER}/api/v1`,
    "--port",
    String(CALLBACK_PORT),
    "--output-dir",
    rawDir,
  ];
  console.log(`\n== conformance authorization --url ${ISSUER} (${path.relative(process.cwd(), BIN)}) ==`);
  const suite = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const driverErrors = [];
  const lines = readline.createInterface({ input: suite.stdout });
  lines.on("line", (line) => {
    console.log(`  | ${line}`);
    if (line.startsWith(`${ISSUER}/oauth/authorize?`)) {
      consent(line).catch((error) => {
        driverErrors.push(`consent: ${error.message}`);
        suite.kill("SIGTERM");
      });
    }
  });
  const timer = setTimeout(() => {
    driverErrors.push(`the suite took longer than ${SUITE_DEADLINE_MS / 1000} s`);
    suite.kill("SIGTERM");
  }, SUITE_DEADLINE_MS);
  return new Promise((resolve) => {
    suite.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, driverErrors, scenarios: savedResults() });
    });
  });
}

function savedResults() {
  if (!existsSync(rawDir)) return [];
  return readdirSync(rawDir)
    .sort()
    .map((dir) => {
      const scenario = dir.replace(/^authorization-server-/, "").replace(/-\d{4}-\d\d-\d\dT.*$/, "");
      const checks = JSON.parse(readFileSync(path.join(rawDir, dir, "checks.json"), "utf8"));
      return {
        scenario,
        checks: checks.map(({ id, status, errorMessage }) => ({ id, status, ...(errorMessage && { errorMessage }) })),
      };
    });
}

/** The scenarios this version of the suite has, so that one that never ran is reported too. */
function listedScenarios() {
  const list = spawnSync(process.execPath, [BIN, "list", "--authorization"], { encoding: "utf8" });
  return [...list.stdout.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1]);
}

let client;
try {
  loopbackCertificate(work);
  const clientId = await serveClientDocument();
  await startMandate();
  client = await setUp(clientId);
} catch (error) {
  await finish([], error.message);
}
const run = await runSuite(client);
// In the suite's order; one it lists but saved nothing for failed.
const listed = listedScenarios();
const scenarios = [
  ...listed.map(
    (name) =>
      run.scenarios.find((s) => s.scenario === name) ?? {
        scenario: name,
        checks: [],
        result: "fail",
        why: "no result saved",
      },
  ),
  ...run.scenarios.filter((s) => !listed.includes(s.scenario)),
];
for (const s of scenarios) {
  const skipped = s.checks.find((c) => c.status === "SKIPPED");
  const warnings = s.checks.filter((c) => c.status === "WARNING").length;
  if (skipped) s.why = skipped.errorMessage;
  else if (warnings && !s.why) s.why = `${warnings} warning${warnings > 1 ? "s" : ""} (a SHOULD not met)`;
}
const crashed = run.driverErrors.length > 0 || (run.code !== 0 && !scenarios.some((s) => resultOf(s) === "fail"));
await finish(
  scenarios,
  crashed ? run.driverErrors.join("; ") || `the suite exited with ${run.code ?? run.signal}` : undefined,
);
