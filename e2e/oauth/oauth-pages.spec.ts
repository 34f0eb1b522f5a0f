import { expect, type Page, type Response, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { freshAgent } from "../fixtures/api";
import { exchangeCode, isActive, REDIRECT, startAuthorization } from "../fixtures/consent";

// The authorization server's own pages (server/oauth/pages.tsx), in Chromium: an authorization
// request that cannot go on, and the end of a session. Each carries the console's look, the logo
// (loaded under the authorization server's policy), and the id of the request that made it, the
// same the response's x-request-id header gives, for support to find in the logs.

/** The page's logo is an image that actually loaded. */
async function expectLogo(page: Page) {
  const logo = page.locator('img[src="/logo.svg"]');
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
}

async function expectRequestId(page: Page, response: Response | null) {
  const id = await response?.headerValue("x-request-id");
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  await expect(page.getByText(`Request id: ${id}`)).toBeVisible();
}

/** Watches for Content-Security-Policy violations (a blocked logo, style or script). */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

const landed = (page: Page, pathname: string) => page.waitForResponse((r) => new URL(r.url()).pathname === pathname);

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("an authorization request from an unknown client shows the error page with the logo and its request id", async ({
    page,
  }) => {
    const violations = cspViolations(page);
    const answer = landed(page, "/oauth/authorize");
    await startAuthorization(page, "no-such-agent", "calendar.write");
    const response = await answer;

    expect(response.status()).toBe(400);
    await expect(page).toHaveTitle("Authorization error · Mandate");
    await expect(page.getByRole("heading", { name: "This authorization request cannot continue" })).toBeVisible();
    await expect(page.getByText("invalid_client", { exact: true })).toBeVisible();
    await expectLogo(page);
    await expectRequestId(page, response);
    await page.screenshot({ path: test.info().outputPath("error.png"), fullPage: true });
    expect(violations).toEqual([]);
  });
});

test.describe("as Acme's member", () => {
  test.use({ storageState: storageState("member") });

  test("ends their session with the authorization server: asked first, then told, and their agents keep access", async ({
    page,
  }) => {
    const violations = cspViolations(page);
    // Consenting opens the session with the authorization server.
    const agent = await freshAgent({ role: "Scheduler", redirectUri: REDIRECT });
    const started = await startAuthorization(page, agent.id, "calendar.write contacts.read");
    await page.getByRole("button", { name: "Allow" }).click();
    const tokens = await exchangeCode(page, started, agent);

    // Staying signed in changes nothing, and the answer says so.
    let response = await page.goto("/oauth/session/end");
    await expect(page.getByRole("heading", { name: "Sign out of Mandate?" })).toBeVisible();
    await expectLogo(page);
    await expectRequestId(page, response);
    await page.screenshot({ path: test.info().outputPath("logout.png"), fullPage: true });
    let answer = landed(page, "/oauth/session/end/success");
    await page.getByRole("button", { name: "Stay signed in" }).click();
    await expect(page.getByRole("heading", { name: "You are still signed in" })).toBeVisible();
    await expectRequestId(page, await answer);

    // Signing out.
    await page.goto("/oauth/session/end");
    answer = landed(page, "/oauth/session/end/success");
    await page.getByRole("button", { name: "Sign out" }).click();
    response = await answer;
    await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
    await expect(page).toHaveTitle("Signed out · Mandate");
    await expectLogo(page);
    await expectRequestId(page, response);
    await page.screenshot({ path: test.info().outputPath("logout-success.png"), fullPage: true });

    // What the confirmation promised: the grant outlives the session.
    expect(await isActive(agent, tokens.access_token)).toBe(true);
    expect(await isActive(agent, tokens.refresh_token as string)).toBe(true);

    // With no session left, oidc-provider's page posts itself on (its script, allowed by its
    // hash) and lands on the same answer.
    await page.goto("/oauth/session/end");
    await page.waitForURL("**/oauth/session/end/success");
    await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
    expect(violations).toEqual([]);
  });
});
