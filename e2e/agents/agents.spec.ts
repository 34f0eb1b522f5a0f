import { expect, type Page, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function confirm(page: Page, reason: string, typed?: string) {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill(reason);
  if (typed) await dialog.getByLabel(/to confirm/).fill(typed);
  await dialog.locator("button[type=submit]").click();
  await expect(dialog).toBeHidden();
}

/** Opens one of the agent page's tabs (each is a link with its own URL). */
async function openTab(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name, exact: true }).click();
  await expect(
    page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name, exact: true }),
  ).toHaveAttribute("aria-current", "page");
}

async function registerAgent(page: Page, name: string) {
  await page.goto("/acme/agents/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Accountable owner").selectOption({ label: "Priya Nair (owner@acme.example)" });
  await page.getByLabel("Environment").selectOption("production");
  await page.getByRole("button", { name: "Register agent" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("Pending", { exact: true }).first()).toBeVisible();
}

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("shows every field's error at once: an attribute that is not a number does not hide the missing name", async ({
    page,
  }) => {
    await page.goto("/acme/agents/new");
    await page.getByRole("button", { name: "Add attribute" }).click();
    await page.getByLabel("Name of attribute 1").fill("limit");
    await page.getByLabel("Type of limit").selectOption("number");
    await page.getByLabel("Value of limit").fill("lots");
    await page.getByRole("button", { name: "Register agent" }).click();
    await expect(page.getByText("Some fields are not valid.")).toBeVisible();
    await expect(page.getByText("limit: Enter a number.")).toBeVisible();
    await expect(page.locator("#name-error")).toBeVisible();
    await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/acme\/agents\/new$/);
  });

  test("registers an agent, sees its secret once, rotates it, suspends, resumes and retires it", async ({ page }) => {
    test.slow(); // the whole lifecycle, across three of the agent page's tabs
    const name = unique("e2e-agent");
    await registerAgent(page, name);

    await page.getByRole("button", { name: "Activate" }).click();
    await confirm(page, "Reviewed by the security team");
    await expect(page.getByText("Active", { exact: true }).first()).toBeVisible();

    // The secret is shown once...
    await openTab(page, "Credentials");
    await expect(page).toHaveURL(/\/agents\/[0-9a-f-]{36}\/credentials$/);
    await page.getByRole("button", { name: "New client secret" }).click();
    const secret = (await page.getByTestId("secret-value").textContent()) ?? "";
    expect(secret).toMatch(/^mandate_sk_[A-Za-z0-9_-]{43}[0-9a-f]{8}$/);
    await page.getByRole("button", { name: "Done" }).click();
    // ...and never again, not even in the page source.
    await page.reload();
    expect(await page.content()).not.toContain(secret);
    await expect(page.getByTestId("credential-row")).toHaveCount(1);

    // Rotation: a second secret, both live, then the first revoked.
    await page.getByRole("button", { name: "New client secret" }).click();
    await expect(page.getByTestId("new-secret")).toBeVisible();
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("credential-row")).toHaveCount(2);
    await expect(page.getByTestId("credential-row").getByText("Live")).toHaveCount(2);
    await page.getByTestId("credential-row").nth(1).getByRole("button", { name: "Revoke" }).click();
    await confirm(page, "Rotated to the new secret");
    await expect(page.getByTestId("credential-row").getByText("Revoked")).toHaveCount(1);
    await expect(page.getByTestId("credential-row").getByText("Live")).toHaveCount(1);

    await page.getByRole("button", { name: "Suspend" }).click();
    await confirm(page, "Investigating odd traffic");
    await expect(page.getByText("Suspended", { exact: true }).first()).toBeVisible();

    await page.getByRole("button", { name: "Resume" }).click();
    await confirm(page, "Traffic explained");
    await expect(page.getByText("Active", { exact: true }).first()).toBeVisible();

    // Retirement is final, so it lives in the overview's danger zone, not beside Suspend.
    await expect(page.getByRole("button", { name: "Retire" })).toHaveCount(0);
    await openTab(page, "Overview");
    await page.getByRole("region", { name: "Danger zone" }).getByRole("button", { name: "Retire" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("No longer needed");
    await expect(dialog.getByRole("button", { name: "Retire" })).toBeDisabled();
    await dialog.getByLabel(/to confirm/).fill(name);
    await dialog.getByRole("button", { name: "Retire" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Retired", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: /Activate|Suspend|Resume|Retire|Kill switch/ })).toHaveCount(0);
    await openTab(page, "Credentials");
    await expect(page.getByRole("button", { name: "New client secret" })).toHaveCount(0);
    await openTab(page, "Overview");

    const history = page.getByRole("list", { name: "Lifecycle history" });
    for (const reason of [
      "No longer needed",
      "Traffic explained",
      "Investigating odd traffic",
      "Reviewed by the security team",
    ]) {
      await expect(history).toContainText(reason);
    }
  });

  test("restricts who may act on an agent's tokens in its Delegation section, shown on its overview", async ({
    page,
  }) => {
    const helper = unique("e2e-helper");
    const name = unique("e2e-delegator");
    await registerAgent(page, helper);
    await registerAgent(page, name);
    await expect(page.getByTestId("delegation")).toHaveText("Any agent in this tenant");

    await page.getByRole("link", { name: "Edit" }).click();
    const delegation = page.getByRole("group", { name: "Delegation" });
    await expect(delegation.getByLabel("Any agent in this tenant")).toBeChecked();
    await delegation.getByLabel("Only these agents").check();
    await expect(delegation.getByText("None chosen: no agent may act on its tokens.")).toBeVisible();
    await delegation.getByLabel("Filter agents").fill(helper);
    await delegation.getByLabel(helper).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).not.toHaveURL(/\/edit$/);
    await expect(page.getByTestId("delegation")).toHaveText(helper);

    // An empty selection means nobody.
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByRole("group", { name: "Delegation" }).getByLabel(helper).uncheck();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).not.toHaveURL(/\/edit$/);
    await expect(page.getByTestId("delegation")).toHaveText("No agent");
  });

  test("requires DPoP-bound tokens on an agent's edit page, shown on its overview", async ({ page }) => {
    const name = unique("e2e-dpop");
    await registerAgent(page, name);
    await expect(page.getByTestId("dpop")).toHaveText(/^Optional/);
    await page.getByRole("link", { name: "Edit" }).click();
    const dpop = page.getByRole("checkbox", { name: "Require DPoP-bound tokens" });
    await expect(dpop).not.toBeChecked();
    await dpop.check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page).not.toHaveURL(/\/edit$/);
    await expect(page.getByTestId("dpop")).toHaveText(/^Required: tokens are bound/);
    await page.getByRole("link", { name: "Edit" }).click();
    await expect(page.getByRole("checkbox", { name: "Require DPoP-bound tokens" })).toBeChecked();
  });

  test("sees field errors for a bad registration, and nothing is created", async ({ page }) => {
    await page.goto("/acme/agents/new");
    await page.getByLabel("Name").fill("x");
    await page.getByRole("button", { name: "Register agent" }).click();
    await expect(page.getByText("Use at least 2 characters.")).toBeVisible();
    await expect(page.getByText("Choose a user.")).toBeVisible();
    await expect(page).toHaveURL(/\/acme\/agents\/new$/);
  });

  test("filters and sorts the agents list through the URL, and bulk-suspends a selection", async ({ page }) => {
    const a = unique("e2e-bulk-a");
    const b = unique("e2e-bulk-b");
    for (const name of [a, b]) {
      await registerAgent(page, name);
      await page.getByRole("button", { name: "Activate" }).click();
      await confirm(page, "Ready");
    }
    await page.goto("/acme/agents?q=e2e-bulk");
    await expect(page.getByRole("table", { name: "Agents" })).toContainText(a);
    await page.getByRole("button", { name: "Name" }).click();
    await expect(page).toHaveURL(/sort=name&dir=asc/);
    await page.getByRole("combobox", { name: "Status" }).selectOption("active");
    await expect(page).toHaveURL(/status=active/);
    await page.getByRole("checkbox", { name: "Select row 1" }).check();
    await page.getByRole("checkbox", { name: "Select row 2" }).check();
    await expect(page.getByTestId("selection-count")).toHaveText("2 selected");
    await page.getByRole("button", { name: "Suspend" }).click();
    await confirm(page, "Bulk test");
    await expect(page.getByRole("status")).toContainText("2 agents suspended");
    await page.getByRole("combobox", { name: "Status" }).selectOption("suspended");
    const table = page.getByRole("table", { name: "Agents" });
    await expect(table).toContainText(a);
    await expect(table).toContainText(b);
  });
});

test.describe("as the tenant owner of Acme", () => {
  test.use({ storageState: storageState("owner") });

  test("manages Acme's agents and gets nothing of Globex's", async ({ page, browser }) => {
    await page.goto("/acme/agents");
    await expect(page.getByRole("link", { name: "Register agent" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Agents" })).toContainText("invoice-bot");
    await expect(page.getByRole("table", { name: "Agents" })).not.toContainText("trading-signals");

    // Find a Globex agent's id as an admin, then open it as the Acme owner under both tenants.
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const adminPage = await admin.newPage();
    await adminPage.goto("/globex/agents?q=trading-signals");
    const href = await adminPage.getByRole("link", { name: "trading-signals" }).getAttribute("href");
    await admin.close();
    const id = href?.split("/").pop();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    for (const url of [`/globex/agents/${id}`, `/acme/agents/${id}`, `/globex/agents`, `/acme/agents/${id}/edit`]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(404);
      expect(await page.content()).not.toContain("trading-signals");
    }
  });
});

test.describe("as an auditor", () => {
  test.use({ storageState: storageState("auditor") });

  test("sees agents, credentials and history but can change nothing", async ({ page }) => {
    await page.goto("/acme/agents");
    await expect(page.getByRole("link", { name: "Register agent" })).toHaveCount(0);
    await expect(page.getByRole("checkbox", { name: "Select row 1" })).toHaveCount(0);
    await page.getByRole("link", { name: "invoice-bot" }).click();
    await expect(page.getByRole("heading", { name: /invoice-bot/ })).toBeVisible();
    await expect(page.getByRole("list", { name: "Lifecycle history" })).toContainText("Registered");
    const readOnly = /Suspend|Retire|Kill switch|Edit|New client secret|Revoke|Assign/;
    await expect(page.getByRole("button", { name: readOnly })).toHaveCount(0);
    for (const tab of ["Access", "Credentials", "Tokens", "Grants", "Activity", "Audit"]) {
      await openTab(page, tab);
      await expect(page.getByRole("button", { name: readOnly })).toHaveCount(0);
    }
    await openTab(page, "Credentials");
    await expect(page.getByRole("table", { name: "Credentials" })).toBeVisible();
    expect((await page.goto("/acme/agents/new"))?.status()).toBe(403);
  });
});
