import { expect, type Page, test } from "@playwright/test";
import { ACCOUNTS } from "../fixtures/accounts";
import { expectSignedInAs } from "../fixtures/sign-in";

// Console single sign-on against a real OpenID Connect provider (e2e/fixtures/test-idp.mjs).
async function signInThroughIdp(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe("single sign-on", () => {
  test("signs an existing user in by their verified email", async ({ page }) => {
    await signInThroughIdp(page, ACCOUNTS.member.email);
    await expect(page).toHaveURL(/\/acme$/);
    await expectSignedInAs(page, ACCOUNTS.member.name);
    await expect(page.getByTestId("user-role")).toHaveText("Member");
  });

  test("refuses someone the identity provider knows but Mandate does not", async ({ page }) => {
    await signInThroughIdp(page, "stranger@example.com");
    await expect(page).toHaveURL(/\/sign-in\?error=sso_no_account/);
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
      /not linked to an active Mandate user/,
    );
    await page.goto("/acme");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});
