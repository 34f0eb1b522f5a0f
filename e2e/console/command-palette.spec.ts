import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";

// The command palette, driven from the keyboard only: Ctrl+K or "/" opens it, typing searches,
// arrows move, Enter jumps, Escape closes.

const palette = (page: Page) => page.getByRole("dialog", { name: "Search the console" });
const searchBox = (page: Page) => palette(page).getByRole("combobox", { name: "Search the console" });

/** Goes to the page and waits until the palette's shortcuts work (the trigger announces them). */
async function visit(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole("button", { name: /Search…/ })).toHaveAttribute("aria-keyshortcuts", /Control\+K/);
}

/** An agent of Acme's of this test's own, so that nothing else running changes it. */
async function registerAgent() {
  const name = `palette-${randomBytes(3).toString("hex")}`;
  const agent = (await adminApi("/agents", {
    method: "POST",
    body: { name, tenant: "acme", owner: "owner@acme.example", environment: "staging" },
  })) as { id: string };
  return { id: agent.id, name };
}

test.describe("as Acme's owner", () => {
  test.use({ storageState: storageState("owner") });

  test("opens with Ctrl+K and with /, offers the sections first, and closes with Escape", async ({ page }) => {
    await visit(page, "/acme");

    await page.keyboard.press("Control+k");
    await expect(palette(page)).toBeVisible();
    await expect(searchBox(page)).toBeFocused();
    // Before typing: where the caller may go, the first one chosen.
    const goTo = palette(page).getByRole("group", { name: "Go to" });
    await expect(goTo.getByRole("option", { name: "Agents" })).toBeVisible();
    await expect(goTo.getByRole("option", { name: "Tenants" })).toHaveCount(0);
    await expect(palette(page).getByRole("option").first()).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Escape");
    await expect(palette(page)).toBeHidden();

    await page.keyboard.press("/");
    await expect(palette(page)).toBeVisible();
    await expect(searchBox(page)).toBeFocused();
    // ⌘K (or Ctrl+K) again closes it.
    await page.keyboard.press("Meta+k");
    await expect(palette(page)).toBeHidden();

    // In a text field "/" is a character, not a shortcut.
    await visit(page, "/acme/people");
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.focus();
    await page.keyboard.type("a/b");
    await expect(search).toHaveValue("a/b");
    await expect(palette(page)).toBeHidden();
  });

  test("finds an agent by name, moves with the arrows and jumps there with Enter", async ({ page }) => {
    const agent = await registerAgent();
    await visit(page, "/acme");
    await page.keyboard.press("Control+k");
    await page.keyboard.type(agent.name);
    const option = palette(page).getByRole("group", { name: "Agents" }).getByRole("option", { name: agent.name });
    await expect(option).toBeVisible();
    await expect(option).toHaveAttribute("aria-selected", "true");
    // The agent first, then the audit event that registered it (found by the agent's name).
    await expect(palette(page).getByRole("group", { name: "Audit events" }).getByRole("option")).toContainText([
      `Agent registered · ${agent.name}`,
    ]);
    await expect(palette(page).getByRole("status")).toHaveText("2 results");
    // The arrows move the choice, Enter takes it.
    await page.keyboard.press("ArrowDown");
    await expect(option).not.toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("ArrowUp");
    await expect(option).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/acme/agents/${agent.id}`);
    await expect(page.getByRole("heading", { name: agent.name })).toBeVisible();
    await expect(palette(page)).toBeHidden();

    // It is now among the recent places, offered before anything is typed.
    await page.keyboard.press("Control+k");
    await expect(palette(page).getByRole("group", { name: "Recent" }).getByRole("option")).toContainText([agent.name]);
  });

  test("jumps to an agent by its id (its OAuth client id)", async ({ page }) => {
    const agent = await registerAgent();
    await visit(page, "/acme/policies");
    await page.keyboard.press("/");
    await page.keyboard.type(agent.id);
    const exact = palette(page).getByRole("group", { name: "Exact id" }).getByRole("option");
    await expect(exact).toContainText(agent.name);
    await expect(exact).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(`/acme/agents/${agent.id}`);
    await expect(page.getByRole("heading", { name: agent.name })).toBeVisible();
  });

  test("finds a person and says when nothing matches", async ({ page }) => {
    await visit(page, "/acme/agents");
    await page.keyboard.press("Control+k");
    await page.keyboard.type("jordan");
    const person = palette(page)
      .getByRole("group", { name: "People" })
      .getByRole("option", { name: /Jordan Lee/ });
    await expect(person).toContainText("member@acme.example");
    await expect(person).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/acme\/people\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("heading", { name: "Jordan Lee" })).toBeVisible();

    await page.keyboard.press("Control+k");
    await page.keyboard.type("no such thing anywhere");
    await expect(palette(page).getByText("No match for “no such thing anywhere”.")).toBeVisible();
    await expect(palette(page).getByRole("status")).toHaveText("No match for “no such thing anywhere”");
    await expect(palette(page).getByRole("option")).toHaveCount(0);
  });

  test("never shows another tenant's agents", async ({ page }) => {
    // doc-summarizer is Globex's: Acme's owner cannot see it, by name or otherwise.
    await visit(page, "/acme");
    await page.keyboard.press("Control+k");
    await page.keyboard.type("doc-summarizer");
    await expect(palette(page).getByText("No match for “doc-summarizer”.")).toBeVisible();
    await expect(palette(page)).not.toContainText(/Globex/);
  });
});

test.describe("as a member", () => {
  test.use({ storageState: storageState("member") });

  test("finds their own grants and their tenants, and no agents", async ({ page }) => {
    await visit(page, "/acme");
    await page.keyboard.press("Control+k");
    await expect(palette(page).getByText("Finds grants and tenants.")).toBeVisible();
    await page.keyboard.type("crm-sync");
    const grant = palette(page)
      .getByRole("group", { name: "Grants" })
      .getByRole("option", { name: /crm-sync/ });
    await expect(grant).toBeVisible();
    await expect(palette(page).getByRole("group", { name: "Agents" })).toHaveCount(0);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/acme\/grants\?user=[0-9a-f-]{36}&agent=[0-9a-f-]{36}&status=/);
    await expect(page.getByRole("heading", { name: "My connected agents" })).toBeVisible();

    // Their other tenant is one jump away.
    await page.keyboard.press("Control+k");
    await page.keyboard.type("globex");
    await expect(palette(page).getByRole("group", { name: "Tenants" }).getByRole("option")).toContainText(["Globex"]);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL("/globex");
  });
});
