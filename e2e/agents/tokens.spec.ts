import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

// The agent page's live tokens: a token the agent really got at the token endpoint shows up there,
// and revoking it in the console makes the authorization server call it inactive at once.

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

async function oauth(url: string, auth: string, body: Record<string, string>) {
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("sees a token the agent got, revokes it with a reason, and introspection says inactive", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/initech/agents?q=meeting-notes");
    await page.getByRole("link", { name: "meeting-notes" }).click();
    await expect(page.getByRole("heading", { name: "meeting-notes" })).toBeVisible();
    const agentId = page.url().split("/").pop() ?? "";
    expect(agentId).toMatch(/^[0-9a-f-]{36}$/);
    await page.goto(`/initech/agents/${agentId}/credentials`);
    await expect(page.getByTestId("client-id")).toHaveText(agentId);

    await page.getByRole("button", { name: "New client secret" }).click();
    const secret = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^mandate_sk_/);
    await page.getByRole("button", { name: "Done" }).click();

    await page.goto(`/initech/agents/${agentId}/tokens`);
    const tokens = page.getByRole("region", { name: /Live tokens/ });
    await expect(tokens).toContainText("No live tokens");
    await tokens.screenshot({ path: "/tmp/agent-tokens-empty.png" });

    const auth = basic(agentId, secret);
    const issued = await oauth(`${baseURL}/oauth/token`, auth, { grant_type: "client_credentials" });
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const accessToken = String(issued.body.access_token);
    expect((await oauth(`${baseURL}/oauth/introspect`, auth, { token: accessToken })).body).toMatchObject({
      active: true,
      client_id: agentId,
    });

    await page.reload();
    const row = tokens.getByTestId("token-row");
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Access token");
    await expect(row).toContainText("Client credentials");
    await expect(row).toContainText("The agent itself");
    await expect(row).toContainText(/in \d+ minutes?/);
    // The token's value is never on the page: only what it carries.
    expect(await page.content()).not.toContain(accessToken);
    await page.screenshot({ path: "/tmp/agent-tokens.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "/tmp/agent-tokens-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Revoke this token?");
    await expect(dialog.getByRole("button", { name: "Revoke token" })).toBeDisabled();
    await dialog.getByLabel("Reason").fill("Leaked in a CI log");
    await dialog.getByRole("button", { name: "Revoke token" }).click();
    await expect(dialog).toBeHidden();
    await expect(tokens.getByTestId("token-row")).toHaveCount(0);
    await expect(tokens).toContainText("No live tokens");

    expect(await oauth(`${baseURL}/oauth/introspect`, auth, { token: accessToken })).toEqual({
      status: 200,
      body: { active: false },
    });
  });

  test("sets redirect URIs and the token lifetime on the agent, and bad values are named on their fields", async ({
    page,
  }) => {
    await page.goto("/initech/agents?q=printer-monitor");
    await page.getByRole("link", { name: "printer-monitor" }).click();
    await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Credentials" }).click();
    await expect(page.getByTestId("token-ttl")).toContainText("10 minutes");
    await page.getByRole("link", { name: "Edit" }).click();

    const ttl = page.getByLabel(/Access-token lifetime in seconds/);
    await expect(ttl).toHaveValue("600");
    await page.getByLabel(/Redirect URIs/).fill("http://printer.example/callback\nhttps://ok.example/cb");
    await ttl.fill("5");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("http://printer.example/callback: Use an absolute https URL")).toBeVisible();
    await expect(page.getByText("At least 60 seconds.")).toBeVisible();
    await expect(page).toHaveURL(/\/edit$/);
    await page.screenshot({ path: "/tmp/agent-form-errors.png", fullPage: true });

    await page.getByLabel(/Redirect URIs/).fill("https://printer.example/callback\n\nhttp://localhost:8080/cb");
    await ttl.fill("900");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).not.toHaveURL(/\/edit$/);
    await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Credentials" }).click();
    await expect(page.getByTestId("token-ttl")).toContainText("15 minutes");
    const uris = page.getByRole("list", { name: "Redirect URIs" });
    await expect(uris.getByRole("listitem")).toHaveText([
      "https://printer.example/callback",
      "http://localhost:8080/cb",
    ]);
  });
});

test.describe("as the tenant auditor of Acme", () => {
  test.use({ storageState: storageState("tenantAuditor") });

  test("sees an agent's live tokens but no revoke control", async ({ page, browser, baseURL }) => {
    // An admin gives onboarding-guide a secret, and the agent gets a token with it.
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/acme/agents?q=onboarding-guide");
    await adminPage.getByRole("link", { name: "onboarding-guide" }).click();
    await expect(adminPage.getByRole("heading", { name: /onboarding-guide/ })).toBeVisible();
    const agentId = adminPage.url().split("/").pop() ?? "";
    await adminPage.goto(`/acme/agents/${agentId}/credentials`);
    await adminPage.getByRole("button", { name: "New client secret" }).click();
    const secret = (await adminPage.getByTestId("secret-value").textContent()) ?? "";
    await admin.close();
    const issued = await oauth(`${baseURL}/oauth/token`, basic(agentId, secret), {
      grant_type: "client_credentials",
    });
    expect(issued.status).toBe(200);

    await page.goto(`/acme/agents/${agentId}/tokens`);
    const tokens = page.getByRole("region", { name: /Live tokens/ });
    await expect(tokens.getByTestId("token-row")).toHaveCount(1);
    await expect(tokens.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  });
});
