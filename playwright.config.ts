import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ADMIN_CLIENT } from "./e2e/fixtures/accounts";
import { ensureTestCertificate } from "./e2e/fixtures/tls.mjs";

// Mandate under test: built, started the README's way on a fresh embedded database with the demo
// world, on its own port, in Debian's Chromium (no browser download is possible on these machines).
const PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://localhost:${PORT}`;
const DATA_DIR = path.resolve(".data", "e2e");
const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 3299);
// A second Mandate as a real installation starts: no demo world, only a bootstrap security admin,
// and invitations sent by email to a real SMTP server (e2e/fixtures/test-smtp.mjs).
const FRESH_PORT = Number(process.env.E2E_FRESH_PORT ?? 3220);
export const FRESH_URL = `http://localhost:${FRESH_PORT}`;
export const FRESH_ADMIN = { email: "first-admin@northwind.example", password: "first admin passphrase" } as const;
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3298);
export const MAILBOX_URL = `http://127.0.0.1:${Number(process.env.E2E_SMTP_HTTP_PORT ?? 3297)}/messages`;

// The MCP client's metadata document is served over https on loopback (e2e/mcp): Mandate trusts
// the test certificate and may fetch from 127.0.0.1 only because these settings say so.
const TLS = ensureTestCertificate();

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  // The longest journeys (register two agents, edit one, save twice; a three-hop chain built over
  // HTTP) take 20-30 s on a loaded 2-CPU machine: the budget is for the machine, not the app.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /fixtures\/.*\.setup\.ts/ },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, dependencies: ["setup"] },
  ],
  webServer: [
    {
      // The company identity provider for console single sign-on.
      command: "node e2e/fixtures/test-idp.mjs",
      url: `http://localhost:${IDP_PORT}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { IDP_PORT: String(IDP_PORT), MANDATE_URL: BASE_URL },
    },
    {
      command: "node scripts/e2e-server.mjs",
      url: `${BASE_URL}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(PORT),
        DATA_DIR,
        SEED_DEMO: "true",
        DATABASE_URL: "",
        SSO_ISSUER: `http://localhost:${IDP_PORT}`,
        SSO_CLIENT_ID: "mandate-console",
        SSO_CLIENT_SECRET: "test-idp-secret-for-mandate-console",
        SSO_NAME: "Test IdP",
        // The admin API's first automation client, as an operator would bootstrap it.
        BOOTSTRAP_ADMIN_CLIENT_ID: ADMIN_CLIENT.id,
        BOOTSTRAP_ADMIN_CLIENT_SECRET: ADMIN_CLIENT.secret,
        NODE_EXTRA_CA_CERTS: TLS.cert,
        OUTBOUND_ALLOW: "127.0.0.1",
      },
    },
    {
      command: "node e2e/fixtures/test-smtp.mjs",
      url: MAILBOX_URL,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { SMTP_PORT: String(SMTP_PORT), SMTP_HTTP_PORT: new URL(MAILBOX_URL).port },
    },
    {
      command: "node scripts/e2e-server.mjs",
      url: `${FRESH_URL}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        NODE_ENV: "production",
        PORT: String(FRESH_PORT),
        DATA_DIR: path.resolve(".data", "e2e-fresh"),
        DATABASE_URL: "",
        SEED_DEMO: "false",
        BOOTSTRAP_ADMIN_EMAIL: FRESH_ADMIN.email,
        BOOTSTRAP_ADMIN_PASSWORD: FRESH_ADMIN.password,
        SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
        MAIL_FROM: "Mandate <mandate@northwind.example>",
        // One build serves both instances: this one starts once the other is up.
        E2E_AFTER: `${BASE_URL}/api/health`,
      },
    },
  ],
});
