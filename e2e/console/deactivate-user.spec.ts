import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { signIn } from "../fixtures/sign-in";

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("deactivates a person from their page, impact first, and that person can no longer sign in", async ({
    page,
    browser,
  }) => {
    await page.goto("/initech/people?tenant=initech");
    await page.getByRole("link", { name: "Peter Gibbons" }).click();
    await expect(page.getByRole("heading", { name: "Peter Gibbons" })).toBeVisible();
    await page.getByRole("button", { name: "Deactivate" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog.getByTestId("offboarding-impact")).toHaveText(/^Revokes \d+ grants? and \d+ live tokens?/);
    await dialog.getByLabel("Reason").fill("Left Initech");
    await dialog.getByRole("button", { name: "Deactivate" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText("Deactivated", { exact: true }).first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Reactivate" })).toBeVisible();

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

  test("manages their tenant's members but cannot deactivate accounts, which are installation-wide", async ({
    page,
  }) => {
    await page.goto("/acme/people");
    await expect(page.getByRole("table", { name: "People" })).toBeVisible();
    await page.getByRole("link", { name: "Jordan Lee" }).click();
    await expect(page.getByRole("heading", { name: "Jordan Lee" })).toBeVisible();
    await expect(page.getByLabel("Jordan Lee's role in Acme Corp")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Deactivate/ })).toHaveCount(0);
  });
});
