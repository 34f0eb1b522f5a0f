import { expect, type Page, test } from "@playwright/test";
import { ACCOUNTS } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";
import { expectSignedInAs } from "../fixtures/sign-in";

// Console single sign-on against a real OpenID Connect provider (e2e/fixtures/test-idp.mjs).
async function signInThroughIdp(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await loginAtIdp(page, login);
}

async function loginAtIdp(page: Page, login: string) {
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

  test("accepts an invitation through single sign-on, which must vouch for the invited email", async ({
    page,
    browser,
  }) => {
    const email = `sso-${Date.now().toString(36)}@acme.example`;
    const invited = await adminApi("/users", { method: "POST", body: { email, tenant: "acme", role: "member" } });
    const link = invited.invitation_url as string;

    // Someone else's identity at the provider gets no account, and the invitation stays open.
    const elsewhere = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const wrong = await elsewhere.newPage();
    await wrong.goto(link);
    await wrong.getByRole("button", { name: "Accept with Test IdP" }).click();
    await loginAtIdp(wrong, "someone-else@example.com");
    await expect(wrong).toHaveURL(/\/sign-in\?error=sso_no_account/);
    await wrong.goto(link);
    await expect(wrong.getByRole("heading", { name: "You are invited to Mandate" })).toBeVisible();
    await elsewhere.close();

    await page.goto(link);

    await page.getByRole("button", { name: "Accept with Test IdP" }).click();
    await loginAtIdp(page, email);
    await expect(page).toHaveURL(/\/acme$/);
    await expect(page.getByTestId("user-role")).toHaveText("Member");
    const person = (await adminApi(`/users/${encodeURIComponent(email)}`)) as { memberships: { role: string }[] };
    expect(person.memberships).toEqual([expect.objectContaining({ role: "member" })]);
  });
});
