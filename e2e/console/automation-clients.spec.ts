import { expect, type Page, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

// Automation clients: created by a security admin, their secret shown once; a token they get works
// on the admin API until the client is revoked in the console, and then fails on the very next call.

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function clientToken(baseURL: string, clientId: string, secret: string) {
  const response = await fetch(`${baseURL}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  const body = (await response.json()) as { access_token?: string };
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.access_token ?? "";
}

const listAgents = (baseURL: string, token: string) =>
  fetch(`${baseURL}/api/v1/agents?tenant=acme`, { headers: { authorization: `Bearer ${token}` } });

async function fillNewClient(page: Page, values: { clientId: string; name: string; role: string; tenant?: string }) {
  const form = page.getByRole("form", { name: "New automation client" });
  await form.getByLabel("Client id").fill(values.clientId);
  await form.getByLabel("Name").fill(values.name);
  await form.getByLabel("Role").selectOption({ label: values.role });
  if (values.tenant) await form.getByLabel("Tenant").selectOption({ label: values.tenant });
  await form.getByRole("button", { name: "Create client" }).click();
  return form;
}

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("creates a client, sees its secret once, uses it on the admin API, and revoking it stops its token", async ({
    page,
    baseURL,
  }) => {
    const base = baseURL ?? "";
    await page.goto("/acme/settings");
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Automation clients" }).click();
    await expect(page).toHaveURL(/\/acme\/settings\/automation$/);
    await expect(page.getByRole("heading", { name: "Automation clients", level: 1 })).toBeVisible();

    const clientId = unique("e2e-ci");
    await fillNewClient(page, { clientId, name: "Nightly export", role: "Tenant auditor", tenant: "Acme Corp" });
    const notice = page.getByTestId("new-client-secret");
    await expect(notice).toContainText("will never show it again");
    await expect(notice).toContainText(`${base}/oauth/token`);
    await expect(notice).toContainText("client_secret_basic");
    const secret = (await page.getByTestId("client-secret-value").textContent()) ?? "";
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const row = page.getByTestId("automation-client-row").filter({ hasText: clientId });
    await expect(row).toContainText("Tenant auditor");
    await expect(row).toContainText("in Acme Corp");
    await expect(row).toContainText("Active");
    await page.screenshot({ path: "/tmp/automation-clients-created.png", fullPage: true });

    const token = await clientToken(base, clientId, secret);
    expect((await listAgents(base, token)).status).toBe(200);

    // The secret is gone for good once the page is left.
    await page.reload();
    await expect(page.getByTestId("new-client-secret")).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);
    await expect(row).toContainText("Active");
    await expect(row.getByRole("cell").nth(4)).toHaveText("1");
    await expect(row.getByRole("cell").nth(3)).not.toHaveText("Never");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "/tmp/automation-clients-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    await row.getByRole("button", { name: `Revoke ${clientId}` }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Its live token stops working at once");
    await dialog.getByLabel("Reason").fill("The export job was retired");
    await dialog.getByRole("button", { name: "Revoke client" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Revoked");
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);

    const refused = await listAgents(base, token);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_token" });
  });

  test("names bad input on its fields and creates nothing", async ({ page }) => {
    await page.goto("/acme/settings/automation");
    const form = await fillNewClient(page, { clientId: "UPPER CASE", name: "Bad input", role: "Tenant owner" });
    await expect(form.getByText("Use 3 to 64 lower-case letters")).toBeVisible();
    await expect(form.getByLabel("Client id")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByText("Choose the tenant this role applies in.")).toBeVisible();
    await page.screenshot({ path: "/tmp/automation-clients-errors.png", fullPage: true });

    // A good id alone is not enough: the tenant is still missing, and still nothing is created.
    const clientId = unique("e2e-bad");
    await form.getByLabel("Client id").fill(clientId);
    await form.getByRole("button", { name: "Create client" }).click();
    await expect(form.getByText("Choose the tenant this role applies in.")).toBeVisible();
    await expect(form.getByText("Use 3 to 64 lower-case letters")).toHaveCount(0);
    await expect(page.getByTestId("new-client-secret")).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole("table", { name: "Automation clients" })).not.toContainText(clientId);
  });
});

for (const who of ["member", "owner"] as const) {
  test.describe(`as the ${who === "owner" ? "tenant owner" : "member"} of Acme`, () => {
    test.use({ storageState: storageState(who) });

    test("gets the 403 page, and no tab leads there", async ({ page }) => {
      const response = await page.goto("/acme/settings/automation");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: /403 · Your role does not open this page/ })).toBeVisible();
      expect(await page.content()).not.toContain("e2e-admin");
      if (who === "owner") {
        await page.goto("/acme/settings");
        await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
        await expect(page.getByRole("link", { name: "Automation clients" })).toHaveCount(0);
      }
    });
  });
}
