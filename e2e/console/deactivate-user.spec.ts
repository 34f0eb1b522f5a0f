import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { signIn } from "../fixtures/sign-in";

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("deactivates an account with a reason, and that person can no longer sign in", async ({ page, browser }) => {
    await page.goto("/initech/settings");
    const row = page.getByRole("row").filter({ hasText: "peter@initech.example" });
    await row.getByRole("button", { name: "Deactivate Peter Gibbons" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Left Initech");
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Deactivated");
    await expect(row.getByRole("button", { name: /Deactivate/ })).toHaveCount(0);

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const other = await context.newPage();
    await signIn(other, "peter@initech.example");
    await expect(other.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
      "That email and password do not match an active account.",
    );
    await context.close();
  });
});

test.describe("as a tenant owner", () => {
  test.use({ storageState: storageState("owner") });

  test("sees no deactivate control: accounts are installation-wide", async ({ page }) => {
    await page.goto("/acme/settings");
    await expect(page.getByRole("table")).toBeVisible();
    await expect(page.getByRole("button", { name: /Deactivate/ })).toHaveCount(0);
  });
});
