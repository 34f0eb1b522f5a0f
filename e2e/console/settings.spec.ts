import { expect, type Page, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

/** Signs in as Globex's owner (a session of its own: these tests change Globex's settings) and opens them. */
async function globexSettings(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("owner@globex.example");
  await page.getByLabel("Password").fill("mandate-demo-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/globex$/);
  await page.goto("/globex/settings");
}

test.describe("as the tenant owner of Globex", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("sets the agent review period, and a bad value is named on its field", async ({ page }) => {
    await globexSettings(page);
    const form = page.getByRole("form", { name: "Agent reviews" });
    const days = form.getByLabel("Days between agent reviews");
    await expect(days).toHaveValue("90");
    await days.fill("3");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("Reviews are at least 7 days apart.")).toBeVisible();
    await days.fill("45");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("status")).toContainText("Saved");
    await page.reload();
    await expect(page.getByLabel("Days between agent reviews")).toHaveValue("45");
  });

  test("sets how deep a delegation chain may go, and a bad value is named on its field", async ({ page }) => {
    await globexSettings(page);
    const form = page.getByRole("form", { name: "Delegation" });
    const depth = form.getByLabel(/Exchanges deep a chain may go/);
    await expect(depth).toHaveValue("3");
    await depth.fill("11");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByText("Allow at most 10 exchanges.")).toBeVisible();
    await depth.fill("2");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(form.getByRole("status")).toContainText("Saved");
    await page.reload();
    await expect(page.getByRole("form", { name: "Delegation" }).getByLabel(/Exchanges deep/)).toHaveValue("2");
  });

  test("requires DPoP-bound tokens of every agent, and lifts it again", async ({ page }) => {
    await globexSettings(page);
    const toggle = () => page.getByRole("checkbox", { name: /Require DPoP-bound tokens of every agent/ });
    await expect(toggle()).not.toBeChecked();
    await toggle().check();
    // Enabled again once the change is saved.
    await expect(toggle()).toBeEnabled();
    await page.reload();
    await expect(toggle()).toBeChecked();
    await toggle().uncheck();
    await expect(toggle()).toBeEnabled();
    await page.reload();
    await expect(toggle()).not.toBeChecked();
  });
});

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("gives a new secret an expiry date, and a past date is refused", async ({ page }) => {
    await page.goto("/initech/agents?q=build-bot");
    await page.getByRole("link", { name: "build-bot" }).click();
    await page
      .getByRole("navigation", { name: "Agent" })
      .getByRole("link", { name: "Credentials", exact: true })
      .click();
    const expiry = page.getByLabel("Expires (optional)");
    await expiry.fill("2020-01-01");
    await page.getByRole("button", { name: "New client secret" }).click();
    await expect(page.getByRole("region", { name: "Credentials" }).getByRole("alert")).toHaveText(
      "Choose a date in the future.",
    );
    await expiry.fill("2031-06-30");
    await page.getByRole("button", { name: "New client secret" }).click();
    await expect(page.getByTestId("new-secret")).toBeVisible();
    await page.getByRole("button", { name: "Done" }).click();
    await expect(page.getByTestId("credential-row").filter({ hasText: "2031-06-30" })).toHaveCount(1);
  });
});
