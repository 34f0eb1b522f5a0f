import { expect, test } from "@playwright/test";
import { BASE_URL } from "../../playwright.config";
import { ACCOUNTS } from "../fixtures/accounts";
import { expectSignedInAs, signIn } from "../fixtures/sign-in";

test.describe("sign-in", () => {
  test("a wrong password gets a clear error and no session", async ({ page }) => {
    await signIn(page, "dana@acme.example", "not the password");
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(
      "That email and password do not match an active account.",
    );
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/acme");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Facme/);
  });

  test("a malformed email and an empty password are named on their fields", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  });

  test("an unauthenticated visit goes to sign-in and comes back after it", async ({ page }) => {
    await page.goto("/acme/settings");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Facme%2Fsettings/);
    await page.getByLabel("Email").fill(ACCOUNTS.owner.email);
    await page.getByLabel("Password").fill("mandate-demo-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/acme\/settings$/);
    await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  });

  test("sign-out ends the session on the server: a copy of the cookie stops working too", async ({ page, browser }) => {
    await signIn(page, ACCOUNTS.tenantAuditor.email);
    await expectSignedInAs(page, ACCOUNTS.tenantAuditor.name);
    const copied = await page.context().cookies();
    const thief = await browser.newContext({ storageState: { cookies: copied, origins: [] } });
    const stolen = await thief.newPage();
    await stolen.goto("/acme");
    await expectSignedInAs(stolen, ACCOUNTS.tenantAuditor.name);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // The copied cookie is still a valid JWT, but the session it names is over.
    await stolen.goto("/acme");
    await expect(stolen).toHaveURL(/\/sign-in/);
    const page2 = await stolen.request.get("/acme/audit");
    expect(page2.url()).toMatch(/\/sign-in/);
    await thief.close();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/acme");
    await expect(page).toHaveURL(/\/sign-in/);
    const session = await page.request.get("/api/auth/session");
    expect(await session.json()).toEqual({});
  });

  // Regression: control characters and whitespace in callbackUrl (a tab before a second slash)
  // passed the same-origin check, and the browser, which drops them, landed on another site.
  const HOSTILE = [
    "https://evil.example.com/steal",
    "//evil.example.com/steal",
    "/\t/evil.example.com/steal",
    "/\n/evil.example.com/steal",
    "\t//evil.example.com/steal",
    "/\\evil.example.com/steal",
    "\\\\evil.example.com/steal",
    "/%09/evil.example.com/steal",
    "http://localhost:3210@evil.example.com/steal",
    "https:evil.example.com/steal",
    "javascript:alert(document.domain)",
    "/\u3000/evil.example.com/steal",
  ];

  test("no callback URL, however encoded, takes a signed-in person to another site", async ({ page }) => {
    test.slow(); // a sign-in and twelve redirects, each landing on a console page
    await signIn(page, ACCOUNTS.member.email);
    await expectSignedInAs(page, ACCOUNTS.member.name);
    for (const target of HOSTILE) {
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(target)}`);
      await page.waitForLoadState("load");
      expect(new URL(page.url()).origin, target).toBe(BASE_URL);
    }
  });

  test("an external callback URL is not followed after sign-in", async ({ page }) => {
    await page.goto(`/sign-in?callbackUrl=${encodeURIComponent("/\t/evil.example.com/steal")}`);
    await page.getByLabel("Email").fill(ACCOUNTS.member.email);
    await page.getByLabel("Password").fill("mandate-demo-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/localhost:\d+\/acme$/);
  });

  test("the session expires after SESSION_MAX_AGE_MINUTES (8 hours by default)", async ({ page }) => {
    await signIn(page, ACCOUNTS.owner.email);
    await expectSignedInAs(page, ACCOUNTS.owner.name);
    const cookie = (await page.context().cookies()).find((c) => c.name === "next-auth.session-token");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    const minutesLeft = ((cookie?.expires ?? 0) * 1000 - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(475);
    expect(minutesLeft).toBeLessThanOrEqual(480);
  });
});
