import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

const suffix = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

test.describe("as the tenant owner of Acme", () => {
  test.use({ storageState: storageState("owner") });

  test("adds a tenant scope and a role bundling it, edits the role, and an agent with the role gets the scope", async ({
    page,
  }) => {
    const id = suffix();
    const scope = `acme.e2e${id}.read`;
    const role = `E2E role ${id}`;

    await page.goto("/acme/scopes");
    await expect(page.getByLabel("Global (every tenant)")).toHaveCount(0);
    const form = page.getByRole("form", { name: "New scope" });
    await form.getByLabel("Name").fill("Bad Name");
    await form.getByLabel("Description").fill("Reads test things");
    await form.getByRole("button", { name: "Add scope" }).click();
    await expect(form.getByText("Use dotted lower-case names, like contacts.read or email.send.")).toBeVisible();
    await form.getByLabel("Name").fill(scope);
    await form.getByLabel("Risk").selectOption("medium");
    await form.getByRole("button", { name: "Add scope" }).click();
    const scopeRow = page.getByRole("row").filter({ hasText: scope });
    await expect(scopeRow).toContainText("Acme Corp");
    await expect(scopeRow).toContainText("medium");

    await page.goto("/acme/roles");
    const roleForm = page.getByRole("form", { name: "New role" });
    await roleForm.getByLabel("Name").fill(role);
    await roleForm.getByRole("checkbox", { name: scope }).check();
    await roleForm.getByRole("button", { name: "Add role" }).click();
    const roleRow = page.getByRole("row").filter({ hasText: role });
    await expect(roleRow).toContainText(scope);

    await roleRow.getByRole("button", { name: `Edit role ${role}` }).click();
    const edit = page.getByRole("form", { name: `Edit role ${role}` });
    await edit.getByLabel("Description").fill("Edited in a test");
    await edit.getByRole("button", { name: "Save role" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(roleRow).toContainText("Edited in a test");

    await page.goto("/acme/agents?q=warehouse-watcher");
    await page.getByRole("link", { name: "warehouse-watcher" }).click();
    await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Access" }).click();
    await page.getByLabel("Role to assign").selectOption({ label: role });
    await page.getByRole("button", { name: "Assign" }).click();
    await expect(page.getByRole("table", { name: "Effective scopes" })).toContainText(scope);
    await page.getByRole("button", { name: `Remove role ${role}` }).click();
    await expect(page.getByRole("table", { name: "Effective scopes" })).not.toContainText(scope);
  });

  test("cannot touch global scopes", async ({ page }) => {
    await page.goto("/acme/scopes");
    const globalRow = page.getByRole("row").filter({ hasText: "payments.create" });
    await expect(globalRow).toContainText("Global");
    await expect(globalRow.getByRole("button", { name: /Delete/ })).toHaveCount(0);
    await expect(globalRow.getByRole("button", { name: /Edit/ })).toHaveCount(0);
  });
});
