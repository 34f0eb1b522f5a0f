import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { connectWithConsent } from "../../examples/mcp-client/client";
import { type McpExample, startMcpExample } from "../../examples/mcp-server/server";
import { BASE_URL } from "../../playwright.config";
import { ADMIN_CLIENT, storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";
import { TEST_CERT, TEST_KEY } from "../fixtures/tls.mjs";

// The MCP example end to end, with the official MCP SDKs on both sides: the example server
// (examples/mcp-server) protected by Mandate through the SDK's resource-server helper, and an MCP
// client (examples/mcp-client, the SDK's client and OAuth flow) that identifies itself by a client
// metadata document served here over https on loopback. Mandate fetches that document only
// because the e2e server runs with OUTBOUND_ALLOW=127.0.0.1 and trusts the test certificate
// (playwright.config.ts). A person consents in Chromium, the low-risk tool runs, the high-risk one
// steps up (after an owner approves the client), and once the person revokes the grant the client
// is sent back to ask again. Every tool call is a Mandate decision on record.

const LOW = "crm.read_contact";
const HIGH = "payments.refund";
const CALLBACK_PORT = 3236;

let documents: Server;
let documentUrl: string;
let mcp: McpExample;

test.beforeAll(async () => {
  // The tools' scopes in Acme's catalog, the low-risk one open to clients Acme has not approved,
  // and a policy that lets agents call both tools.
  const scopes = (await adminApi("/scopes?tenant=acme&page_size=100")).data as { name: string }[];
  for (const [name, risk] of [
    [LOW, "low"],
    [HIGH, "high"],
  ] as const) {
    if (!scopes.some((s) => s.name === name)) {
      await adminApi("/scopes", {
        method: "POST",
        body: { name, description: `The MCP example's ${name} tool`, risk, tenant: "acme" },
      });
    }
  }
  await adminApi("/tenants/acme/mcp-clients/open-scopes", { method: "PUT", body: { scopes: [LOW] } });
  await adminApi("/policies", {
    method: "POST",
    body: {
      name: `MCP example tools ${Date.now()}`,
      tenant: "acme",
      enabled: true,
      text: `permit (principal is Agent, action in [Action::"${LOW}", Action::"${HIGH}"], resource);`,
    },
  });

  documents = createServer({ key: readFileSync(TEST_KEY), cert: readFileSync(TEST_CERT) }, (req, res) => {
    if (req.url !== "/mcp-client.json") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" }).end(
      JSON.stringify({
        client_id: documentUrl,
        client_name: "Research Desk (MCP)",
        client_uri: "https://research-desk.example",
        redirect_uris: [`http://127.0.0.1:${CALLBACK_PORT}/callback`],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      }),
    );
  });
  await new Promise<void>((resolve) => documents.listen(0, "127.0.0.1", resolve));
  documentUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}/mcp-client.json`;
  // The MCP server introspects with the bootstrapped automation client (a tenant's own would do).
  mcp = await startMcpExample({
    mandateUrl: BASE_URL,
    clientId: ADMIN_CLIENT.id,
    clientSecret: ADMIN_CLIENT.secret,
    port: 0,
  });
});

test.afterAll(async () => {
  await mcp?.close();
  await new Promise((resolve) => documents?.close(resolve));
});

/** The person's part, each time the client sends them to Mandate: the consent page, then Allow. */
async function consentIn(page: Page, url: URL, expectScopes: string[]) {
  await page.goto(url.toString());
  await expect(page.getByRole("heading", { name: /Allow Research Desk \(MCP\) to act for you\?/ })).toBeVisible();
  await expect(page.getByTestId("client-source")).toContainText("its metadata document, fetched from 127.0.0.1");
  for (const scope of expectScopes) await expect(page.getByRole("checkbox", { name: new RegExp(scope) })).toBeChecked();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("Done. You can close this window.")).toBeVisible();
}

async function decisionsOf(agentId: string) {
  const events = (await adminApi(`/audit/events?action=decision.evaluate&agent=${agentId}&page_size=100`)).data as {
    actor?: { id?: string };
    data?: { decision?: string; action?: string; audience?: string };
  }[];
  return events.filter((e) => e.actor?.id === agentId);
}

test.describe("an MCP client a person connects", () => {
  test.use({ storageState: storageState("member") });

  test("consents, calls the low-risk tool, steps up for the high-risk one, and is sent back after revoking", async ({
    page,
    browser,
  }) => {
    const consentUrls: URL[] = [];
    let nextUrl: (url: URL) => void = () => {};
    const waitForConsentUrl = () => new Promise<URL>((resolve) => (nextUrl = resolve));
    let pending = waitForConsentUrl();
    const openBrowser = (url: URL) => {
      consentUrls.push(url);
      nextUrl(url);
    };

    // Connect: the client discovers Mandate from the server's 401 and sends the person to consent.
    const connecting = connectWithConsent({
      serverUrl: mcp.resource,
      clientMetadataUrl: documentUrl,
      callbackPort: CALLBACK_PORT,
      openBrowser,
      clientName: "Research Desk (MCP)",
    });
    const first = await pending;
    expect(first.searchParams.get("client_id")).toBe(documentUrl);
    expect(first.searchParams.get("code_challenge_method")).toBe("S256");
    expect(first.searchParams.get("resource")).toBe(mcp.resource);
    await page.goto(first.toString());
    await expect(page.getByTestId("client-approval")).toContainText("New to this tenant");
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
    await page.screenshot({ path: test.info().outputPath("mcp-consent.png"), fullPage: true });
    pending = waitForConsentUrl();
    await page.getByRole("button", { name: "Allow" }).click();
    await expect(page.getByText("Done. You can close this window.")).toBeVisible();
    const session = await connecting;

    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([LOW, HIGH].sort());
    const read = await session.call(LOW, { contact_id: "c-100" });
    expect(read.isError).toBeFalsy();
    expect(JSON.stringify(read.content)).toContain("Ada Byron");

    // The client is Acme's now, pending: an owner approves it in the console and gives it a role.
    const owner = await browser.newPage({ storageState: storageState("owner") });
    await owner.goto("/acme/settings/mcp-clients");
    const row = owner.getByTestId("mcp-client-row").filter({ hasText: "Research Desk (MCP)" });
    await expect(row).toContainText("Awaiting approval");
    await expect(row).toContainText("Jordan Lee");
    await row.getByRole("button", { name: /Approve/ }).click();
    await owner.getByRole("dialog").getByLabel("Reason").fill("Reviewed the client's metadata");
    await owner.getByRole("dialog").getByRole("button", { name: "Approve client" }).click();
    await expect(row).toContainText("Approved");
    await owner.screenshot({ path: test.info().outputPath("mcp-clients.png"), fullPage: true });
    const clients = (await adminApi("/tenants/acme/mcp-clients")).data as { id: string; client_id: string }[];
    const agentId = clients.find((c) => c.client_id === documentUrl)?.id as string;
    // It is one of Acme's machine identities now; the tenant's owners manage it from its page (the
    // person who let it in has no owner's rights over it: its grants are other people's too).
    await owner.goto(`/acme/agents/${agentId}`);
    await expect(owner.getByTestId("mcp-client")).toContainText("Approved");
    await expect(owner.getByTestId("mcp-client")).toContainText(documentUrl);
    await owner.close();
    const role = await adminApi("/roles", {
      method: "POST",
      body: { name: `mcp-refunds-${Date.now()}`, tenant: "acme", scopes: [await scopeId(HIGH)] },
    });
    await adminApi(`/agents/${agentId}/roles`, { method: "POST", body: { role: role.id } });

    // The high-risk tool: 403 insufficient_scope, the person asked again for exactly that scope.
    const refund = session.call(HIGH, { payment_id: "pay-1", amount: 40, currency: "EUR" });
    const second = await pending;
    expect(second.searchParams.get("scope")?.split(" ")).toContain(HIGH);
    pending = waitForConsentUrl();
    await consentIn(page, second, [HIGH]);
    const refunded = await refund;
    expect(refunded.isError).toBeFalsy();
    expect(JSON.stringify(refunded.content)).toContain("Refunded 40 EUR");

    // Every tool call was a decision on record, for the client's agent.
    const decisions = await decisionsOf(agentId);
    expect(decisions.map((d) => d.data?.action).sort()).toEqual([LOW, HIGH].sort());
    expect(decisions.every((d) => d.data?.decision === "allow" && d.data?.audience === mcp.resource)).toBe(true);

    // The person revokes the grant in the console; the client's next call is refused and it has to
    // send the person to consent again.
    await page.goto("/acme/grants");
    const grant = page.getByRole("row").filter({ hasText: "Research Desk (MCP)" });
    await grant.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByLabel("Reason").fill("I no longer use this client");
    await page.getByRole("dialog").getByRole("button", { name: "Revoke grant" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    const token = (await session.tokens())?.access_token as string;
    const direct = await fetch(mcp.resource, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    expect(direct.status).toBe(401);
    void session.call(LOW, { contact_id: "c-100" }).catch(() => undefined);
    const third = await pending;
    expect(third.searchParams.get("client_id")).toBe(documentUrl);
    expect(consentUrls).toHaveLength(3);
    expect((await decisionsOf(agentId)).length).toBe(2);
    await session.close().catch(() => undefined);
  });
});

async function scopeId(name: string): Promise<string> {
  const scopes = (await adminApi("/scopes?tenant=acme&page_size=100")).data as { id: string; name: string }[];
  const found = scopes.find((s) => s.name === name);
  if (!found) throw new Error(`no scope ${name}`);
  return found.id;
}
