import { expect, type Page, test } from "@playwright/test";
import { ADMIN_CLIENT, storageState } from "../fixtures/accounts";

// Policies: a security admin writes a Cedar policy with the editor's live checking, simulates the
// draft on a real agent, saves it, changes it (a new version), compares versions and rolls back.
// Others who read policies see them, and nothing to change them with; members get a 403.

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

// The saved policy only applies to resources tagged with this run's batch, so that it cannot
// change any decision another test running against the same server makes.
const policyText = (batch: string, condition: string, effect: "permit" | "forbid" = "permit") =>
  `${effect} (principal is Agent, action == Action::"payments.create", resource is Payment)
when { ${condition} }
when { resource.hasTag("batch") && resource.getTag("batch") == "${batch}" };`;

async function confirm(page: Page, reason: string) {
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.locator("button[type=submit]").click();
  await expect(dialog).toBeHidden();
}

async function simulate(page: Page, batch: string) {
  const sim = page.getByRole("form", { name: "Simulate a decision" });
  await sim.getByLabel("Agent").selectOption({ label: "invoice-bot" });
  await sim.getByLabel("Action").selectOption("payments.create");
  await sim.getByLabel("Resource type").selectOption("Payment");
  await sim.getByLabel("Resource id").fill("INV-e2e-1");
  await sim.getByLabel("Resource attributes").fill(`batch=${batch}`);
  await sim.getByLabel("Amount", { exact: true }).fill("50");
  await sim.getByRole("button", { name: "Simulate" }).click();
  return page.getByTestId("simulation-result");
}

const gutterLine = (page: Page, line: number) => page.getByTestId("cedar-gutter").locator(`[data-line="${line}"]`);

/** Collects what Chromium says about Content-Security-Policy violations on the page. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("writes a policy with live checking, simulates it, saves, versions and rolls it back", async ({ page }) => {
    test.setTimeout(120_000);
    const name = unique("E2E small payments");
    const batch = unique("batch");
    const csp = cspViolations(page);

    await page.goto("/acme");
    await page.getByRole("navigation", { name: "Sections" }).first().getByRole("link", { name: "Policies" }).click();
    await expect(page).toHaveURL(/\/acme\/policies$/);
    const table = page.getByRole("table", { name: "Policies" });
    const approvalRow = table.getByRole("row").filter({ hasText: "Payments over 1,000 need approval" });
    await expect(approvalRow).toContainText("Global");
    await expect(approvalRow).toContainText("needs approval");
    await expect(approvalRow).toContainText("payments.create");
    await expect(table.getByRole("row").filter({ hasText: "No HR records from staging" })).toContainText("Acme Corp");
    await expect(table.getByRole("row").filter({ hasText: "No HR records from staging" })).toContainText("forbid");
    await page.screenshot({ path: "/tmp/policies-list.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "/tmp/policies-list-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    // The search filters the list, in the URL.
    await page.getByPlaceholder("Search policies").fill("hr.records");
    await expect(page).toHaveURL(/q=hr.records/);
    await expect(table.getByRole("row")).toHaveCount(2);
    await page.getByRole("button", { name: "Clear filters" }).click();
    // Wait for the cleared URL: a navigation started while the table's URL update is still in
    // flight can be overtaken by it (noted; the table should cancel it on leaving).
    await expect(page).toHaveURL(/\/acme\/policies$/);

    await page.getByRole("link", { name: "New policy" }).click();
    await expect(page).toHaveURL(/\/acme\/policies\/new$/);
    const form = page.getByRole("form", { name: "New policy" });
    const editor = form.getByLabel("Policy (Cedar)");
    const status = page.getByTestId("cedar-status");

    // A long line wraps inside the editor: neither the editor nor the page scrolls sideways.
    await editor.fill(`// ${"a policy comment that goes on and on, ".repeat(30)}\n${policyText(batch, "true")}`);
    await expect(status).toContainText("Valid");
    const width = await page.evaluate(() => {
      const scroller = document.querySelector(".cm-scroller") as HTMLElement;
      const root = document.documentElement;
      const line = document.querySelector(".cm-line") as HTMLElement;
      return {
        page: root.scrollWidth - root.clientWidth,
        editor: scroller.scrollWidth - scroller.clientWidth,
        rows: line.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(line).lineHeight),
      };
    });
    expect(width.page).toBeLessThanOrEqual(0);
    expect(width.editor).toBeLessThanOrEqual(0);
    expect(width.rows).toBeGreaterThan(2);
    // Keyboard: Tab indents inside the editor; Escape, then Tab, leaves it.
    await editor.press("Escape");
    await page.keyboard.press("Tab");
    await expect(editor).not.toBeFocused();

    // A mistake is marked on its line, with Cedar's hint, as it is typed.
    await editor.fill(policyText(batch, "context.amounts < 100"));
    await expect(status).toHaveText(/1 problem/);
    const problems = form.getByRole("list", { name: "Problems" });
    await expect(problems).toContainText("Line 2, col 8:");
    await expect(problems).toContainText("attribute `amounts` in context");
    await expect(problems).toContainText("did you mean `amount`?");
    await expect(gutterLine(page, 2)).toHaveAttribute("data-error", "true");
    await expect(gutterLine(page, 1)).not.toHaveAttribute("data-error", /.*/);
    await expect(editor).toHaveAttribute("aria-invalid", "true");
    // The problem list takes the caret to the mistake.
    await problems.getByRole("button", { name: /Line 2, col 8/ }).click();
    await expect(editor).toBeFocused();
    expect(await editor.evaluate(() => window.getSelection()?.toString())).toBe("context.amounts");
    await editor.press("Control+Home");
    await page.screenshot({ path: "/tmp/policies-editor-error.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "/tmp/policies-editor-error-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    await editor.fill(policyText(batch, "context has amount && context.amount < 100"));
    await expect(status).toContainText("Valid");
    await expect(status).toContainText("permit · payments.create");
    await expect(problems).toHaveCount(0);
    await expect(gutterLine(page, 2)).not.toHaveAttribute("data-error", /.*/);
    await expect(editor).not.toHaveAttribute("aria-invalid", /.*/);

    // Cedar is highlighted: a keyword and a string are told apart, in class and in colour.
    const keyword = editor.getByText("permit", { exact: true });
    const string = editor.getByText(`"${batch}"`, { exact: true });
    await expect(keyword).toHaveClass(/tok-keyword/);
    await expect(string).toHaveClass(/tok-string/);
    await expect(editor.getByText('"payments.create"', { exact: true })).toHaveClass(/tok-string2/);
    const colour = (l: typeof keyword) => l.evaluate((el) => getComputedStyle(el).color);
    expect(await colour(keyword)).not.toBe(await colour(string));
    await page.screenshot({ path: "/tmp/policies-editor-valid.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    expect(await colour(keyword)).not.toBe(await colour(string));
    await page.screenshot({ path: "/tmp/policies-editor-valid-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    // Saving without a name says so on the field, and creates nothing.
    await form.getByRole("button", { name: "Create policy" }).click();
    await expect(form.getByText("Use at least 3 characters.")).toBeVisible();
    await expect(form.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/acme\/policies\/new$/);

    await form.getByLabel("Name", { exact: true }).fill(name);
    await expect(form.getByText("Use at least 3 characters.")).toHaveCount(0);
    await form.getByLabel("Description").fill("Payments under 100 in the e2e batch.");

    // The simulator proposes the resource types that fit the action's name first.
    const sim = page.getByRole("form", { name: "Simulate a decision" });
    await sim.getByLabel("Action").selectOption("email.send");
    await expect(sim.getByLabel("Resource type")).toHaveValue("Email");
    await sim.getByLabel("Action").selectOption("payments.create");
    await expect(sim.getByLabel("Resource type")).toHaveValue("Payment");
    await expect(sim.getByLabel("Resource type").locator('optgroup[label="Fits payments.create"] option')).toHaveText([
      "Payment",
    ]);

    // The draft takes part in the simulation next to the saved policies.
    const result = await simulate(page, batch);
    await expect(result).toHaveAttribute("data-decision", "allow");
    await expect(result).toContainText("Allow");
    await expect(result).toContainText("Small payments");
    await expect(result).toContainText(`${name} (draft)`);
    await page.screenshot({ path: "/tmp/policies-simulate-allow.png", fullPage: true });

    await form.getByRole("button", { name: "Create policy" }).click();
    await expect(page).toHaveURL(/\/acme\/policies\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await expect(page.getByTestId("policy-version").first()).toHaveText("Version 1");
    const policyUrl = page.url();
    // The simulation survives the save: its inputs, and its answer for the text now saved.
    const kept = async () => {
      await expect(sim.getByLabel("Agent").locator("option:checked")).toHaveText("invoice-bot");
      await expect(sim.getByLabel("Action")).toHaveValue("payments.create");
      await expect(sim.getByLabel("Resource type")).toHaveValue("Payment");
      await expect(sim.getByLabel("Resource id")).toHaveValue("INV-e2e-1");
      await expect(sim.getByLabel("Resource attributes")).toHaveValue(`batch=${batch}`);
      await expect(sim.getByLabel("Amount", { exact: true })).toHaveValue("50");
    };
    await kept();
    await expect(page.getByTestId("simulation-result")).toHaveAttribute("data-decision", "allow");
    await expect(page.getByTestId("simulation-result")).not.toHaveAttribute("data-stale", /.*/);

    await page.getByRole("link", { name: "Policies", exact: true }).first().click();
    const row = page.getByRole("table", { name: "Policies" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("Acme Corp");
    await expect(row).toContainText("permit");
    await expect(row).toContainText("payments.create");
    await expect(row).toContainText("v1");
    await expect(row).toContainText("Enabled");
    await row.getByRole("link", { name }).click();
    await expect(page).toHaveURL(policyUrl);

    // A forbid draft decides the simulation, named as the draft; it is not saved.
    const edit = page.getByRole("form", { name: "Edit policy" });
    const editEditor = edit.getByLabel("Policy (Cedar)");
    await expect(edit.getByRole("button", { name: "Save" })).toBeDisabled();
    await editEditor.fill(policyText(batch, "context has amount", "forbid"));
    await expect(page.getByTestId("cedar-status")).toContainText("Valid");
    const denied = await simulate(page, batch);
    await expect(denied).toHaveAttribute("data-decision", "deny");
    await expect(denied).toContainText(`Forbidden by policy "${name} (draft)"`);
    await editEditor.press("Control+Home");
    await page.screenshot({ path: "/tmp/policies-simulate-deny.png", fullPage: true });

    // Version 2: a higher limit, with a note.
    await editEditor.fill(policyText(batch, "context has amount && context.amount < 200"));
    await expect(denied).toHaveAttribute("data-stale", "true");
    await expect(page.getByTestId("cedar-status")).toContainText("Valid");
    await edit.getByLabel(/Change note/).fill("Raise the limit to 200");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByText("Saved as version 2.")).toBeVisible();
    await kept();
    await expect(page.getByTestId("simulation-result")).toHaveAttribute("data-decision", "deny");
    const history = page.getByRole("list", { name: "Version history" });
    const v2 = history.locator('[data-version="2"]');
    await expect(v2).toContainText("current");
    await expect(v2).toContainText("Raise the limit to 200");
    await expect(v2).toContainText("admin@example.com");

    await v2.getByRole("button", { name: "View diff of version 2" }).click();
    const diff = v2.getByTestId("policy-diff");
    await expect(diff.locator('[data-kind="removed"]')).toHaveCount(1);
    await expect(diff.locator('[data-kind="removed"]')).toContainText("context.amount < 100");
    await expect(diff.locator('[data-kind="added"]')).toHaveCount(1);
    await expect(diff.locator('[data-kind="added"]')).toContainText("context.amount < 200");
    await expect(diff).toContainText("+1 −1 lines");
    await page.screenshot({ path: "/tmp/policies-diff.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: "/tmp/policies-diff-dark.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "light" });

    // Rolling back writes version 1's text as version 3.
    await history.locator('[data-version="1"]').getByRole("button", { name: "Roll back to version 1" }).click();
    await expect(page.getByRole("dialog")).toContainText("become version 3");
    await confirm(page, "The old limit was right");
    const v3 = history.locator('[data-version="3"]');
    await expect(v3).toContainText("current");
    await expect(v3).toContainText("Rolled back to version 1: The old limit was right");
    await expect(editEditor).toContainText("context.amount < 100");
    await expect(page.getByTestId("policy-version").first()).toHaveText("Version 3");
    await v3.getByRole("button", { name: "View diff of version 3" }).click();
    await expect(v3.getByTestId("policy-diff").locator('[data-kind="added"]')).toContainText("context.amount < 100");

    // Disabling is a version too, and the list says so.
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    await confirm(page, "Batch finished");
    await expect(page.getByRole("button", { name: "Enable", exact: true })).toBeVisible();
    await expect(history.locator('[data-version="4"]')).toContainText("disabled");
    await page.goto("/acme/policies?status=disabled");
    await expect(
      page.getByRole("table", { name: "Policies" }).getByRole("row").filter({ hasText: name }),
    ).toContainText("Disabled");
    expect(csp).toEqual([]);
  });
});

test.describe("a tenant's own policy", () => {
  test.use({ storageState: storageState("admin") });

  test("shows only under its own tenant; under another it is a 404, as if it did not exist", async ({
    page,
    baseURL,
  }) => {
    const token = await fetch(`${baseURL}/oauth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${ADMIN_CLIENT.id}:${ADMIN_CLIENT.secret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const name = unique("E2E Globex only");
    const created = await fetch(`${baseURL}/api/v1/policies`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        name,
        tenant: "globex",
        enabled: false,
        text: `forbid (principal is Agent, action, resource) when { resource.hasTag("batch") && resource.getTag("batch") == "${name}" };`,
      }),
    });
    const body = (await created.json()) as { id: string };
    expect(created.status, JSON.stringify(body)).toBe(201);

    const own = await page.goto(`/globex/policies/${body.id}`);
    expect(own?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Globex");

    const other = await page.goto(`/acme/policies/${body.id}`);
    expect(other?.status()).toBe(404);
    await page.goto(`/acme/policies?q=${encodeURIComponent(name)}`);
    await expect(page.getByRole("table", { name: "Policies" })).toContainText("Nothing matches these filters.");
  });
});

test.describe("as the tenant owner of Acme", () => {
  test.use({ storageState: storageState("owner") });

  test("reads the policies and their history, with nothing to change them with", async ({ page }) => {
    await page.goto("/acme/policies");
    await expect(page.getByRole("heading", { name: "Policies", level: 1 })).toBeVisible();
    const table = page.getByRole("table", { name: "Policies" });
    await expect(table).toContainText("Payments over 1,000 need approval");
    await expect(page.getByRole("link", { name: "New policy" })).toHaveCount(0);

    await table.getByRole("link", { name: "No HR records from staging" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("No HR records from staging");
    const editor = page.getByLabel("Policy (Cedar)");
    await expect(editor).toContainText("hr.records.read");
    await expect(editor).toHaveAttribute("aria-readonly", "true");
    // Readers can move through the text and select it, and typing changes nothing.
    const before = await editor.textContent();
    await editor.click();
    await editor.press("End");
    await page.keyboard.type("x");
    await editor.press("Backspace");
    await expect(editor).toHaveText(before ?? "");
    await expect(page.getByText("Read only")).toBeVisible();
    await expect(page.getByRole("button", { name: /^(Save|Create policy|Disable|Enable)$/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Roll back/ })).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Version history" })).toContainText("Version 1");
    await page.screenshot({ path: "/tmp/policies-owner-readonly.png", fullPage: true });

    const response = await page.goto("/acme/policies/new");
    expect(response?.status()).toBe(403);
  });
});

test.describe("as a member of Acme", () => {
  test.use({ storageState: storageState("member") });

  test("gets the 403 page for policies", async ({ page }) => {
    for (const path of ["/acme/policies", "/acme/policies/new"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: /403 · Your role does not open this page/ })).toBeVisible();
    }
    expect(await page.content()).not.toContain("Payments over 1,000 need approval");
  });
});
