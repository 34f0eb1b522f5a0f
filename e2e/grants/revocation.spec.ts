import { expect, type Page, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { adminApi, decide, freshAgent, tokenFor, tokenRequest } from "../fixtures/api";
import { exchangeCode, isActive, REDIRECT, startAuthorization } from "../fixtures/consent";

// Grants and one-click revocation, in Chromium, each test with an agent of its own: a member
// revokes the grant they gave; a tenant owner revokes a selection of grants, and withdraws the
// tenant's consent from an agent; a security admin pulls the kill switch. Every confirmation
// states its impact first, and the agent's very next request fails.

const CALENDAR = { action: "calendar.write", resource: { type: "CalendarEvent", id: "call-1" }, context: {} };

/** The person signed in on `page` consents to the agent; returns the agent's tokens. */
async function consent(page: Page, agent: { id: string; secret: string }) {
  const started = await startAuthorization(page, agent.id, "calendar.write contacts.read");
  await page.getByRole("button", { name: "Allow" }).click();
  return exchangeCode(page, started, agent);
}

/** Confirms the open revoke dialog after checking the impact it states. */
async function confirmRevocation(page: Page, impact: string | RegExp, button: string, reason: string) {
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("revocation-impact")).toHaveText(impact);
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: button }).click();
  await expect(dialog).toBeHidden();
}

test.describe("as Acme's member", () => {
  test.use({ storageState: storageState("member") });

  test("revokes their own grant from My connected agents, and its tokens die at once", async ({ page }) => {
    const agent = await freshAgent({ role: "Scheduler", redirectUri: REDIRECT });
    const tokens = await consent(page, agent);
    expect(await isActive(agent, tokens.access_token)).toBe(true);
    expect((await decide(tokens.access_token, CALENDAR)).decision).toBe("allow");

    await page.goto("/acme/grants");
    await expect(page.getByRole("heading", { name: "My connected agents" })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: agent.name });
    await expect(row).toContainText("calendar.write");
    await expect(row).toContainText("just now");
    await row.getByRole("button", { name: "Revoke" }).click();
    await page.screenshot({ path: test.info().outputPath("member-revoke.png"), fullPage: true });
    await confirmRevocation(
      page,
      "Revokes 1 grant and 2 live tokens for 1 user.",
      "Revoke grant",
      "I no longer use this agent",
    );
    await expect(page.getByRole("status")).toHaveText("Revoked 1 grant and 2 live tokens.");
    await expect(page.getByRole("row").filter({ hasText: agent.name })).toHaveCount(0);

    // The agent's next requests, with either token, fail.
    expect(await isActive(agent, tokens.access_token)).toBe(false);
    expect(await isActive(agent, tokens.refresh_token as string)).toBe(false);
    expect(await decide(tokens.access_token, CALENDAR)).toMatchObject({ decision: "deny", code: "token_revoked" });

    // The revoked grant is still on record, with its reason.
    await page.getByLabel("Status").selectOption("revoked");
    await expect(page.getByRole("row").filter({ hasText: agent.name })).toContainText("Revoked");
  });
});

test.describe("as a member who owns an agent", () => {
  test.use({ storageState: storageState("member") });

  test("opens the agent from their overview and pulls its kill switch; it comes back only with a new credential", async ({
    page,
  }) => {
    const agent = await freshAgent({ role: "Scheduler", owner: "member@acme.example" });
    const token = await tokenFor(agent.id, agent.secret, "calendar.write");

    // A member cannot open the registry, but opens the agent they are accountable for.
    await page.goto("/acme");
    await page.getByTestId("my-agent").getByRole("link", { name: agent.name }).click();
    await expect(page).toHaveURL(new RegExp(`/acme/agents/${agent.id}$`));
    const danger = page.getByRole("region", { name: "Danger zone" });
    await expect(danger.getByRole("button", { name: "Retire" })).toHaveCount(0); // managers only
    await danger.getByRole("button", { name: "Kill switch" }).click();
    await confirmRevocation(
      page,
      "Revokes 0 grants, 1 live token and 1 credential.",
      "Revoke everything and suspend",
      "My laptop was stolen",
    );
    await expect(page.getByRole("heading", { name: agent.name })).toContainText("Suspended");
    expect(await decide(token, CALENDAR)).toMatchObject({ decision: "deny" });

    // Resuming alone is not enough: the old secret was revoked with everything else.
    await page.getByRole("button", { name: "Resume" }).click();
    const resume = page.getByRole("dialog");
    await resume.getByLabel("Reason").fill("Laptop wiped");
    await resume.locator("button[type=submit]").click();
    await expect(resume).toBeHidden();
    await expect(page.getByRole("heading", { name: agent.name })).toContainText("Active");
    expect((await tokenRequest(agent.id, agent.secret, "calendar.write")).status).toBe(401);
    await page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Credentials" }).click();
    await page.getByRole("button", { name: "New client secret" }).click();
    const secret = (await page.getByTestId("secret-value").textContent()) ?? "";
    await page.getByRole("button", { name: "Done" }).click();
    const again = await tokenFor(agent.id, secret, "calendar.write");
    expect((await decide(again, CALENDAR)).decision).toBe("allow");
  });
});

test.describe("as Acme's tenant owner", () => {
  test.use({ storageState: storageState("owner") });

  test("revokes a selection of grants from the agent's grants", async ({ page, browser }) => {
    const agent = await freshAgent({ role: "Scheduler", redirectUri: REDIRECT });
    const member = await browser.newContext({ storageState: storageState("member") });
    const mine = await consent(page, agent);
    const theirs = await consent(await member.newPage(), agent);
    await member.close();

    await page.goto(`/acme/agents/${agent.id}/access`);
    await expect(page.getByTestId("agent-grant-summary")).toContainText(
      "2 active grants from 2 people · 4 live tokens",
    );
    await page.getByRole("link", { name: "View grants" }).click();
    await expect(page).toHaveURL(new RegExp(`/acme/agents/${agent.id}/grants$`));
    const table = page.getByRole("table", { name: "Grants" });
    await expect(table.getByRole("row")).toHaveCount(3); // header + two grants
    await page.getByLabel("Select all rows on this page").check();
    await page.getByRole("button", { name: "Revoke selected" }).click();
    await confirmRevocation(
      page,
      "Revokes 2 grants and 4 live tokens for 2 users.",
      "Revoke selected",
      "Agent decommissioned",
    );
    await expect(page.getByRole("status")).toHaveText("Revoked 2 grants and 4 live tokens.");
    await expect(table).toContainText(`No one has an active grant for ${agent.name}.`);
    expect(await isActive(agent, mine.access_token)).toBe(false);
    expect(await isActive(agent, theirs.refresh_token as string)).toBe(false);
  });

  test("withdraws the tenant's consent from an agent: its next decision is denied until restored", async ({ page }) => {
    const agent = await freshAgent({ role: "Scheduler" });
    const token = await tokenFor(agent.id, agent.secret, "calendar.write");
    expect((await decide(token, CALENDAR)).decision).toBe("allow");

    await page.goto(`/acme/agents/${agent.id}/access`);
    await page.getByRole("button", { name: "Withdraw tenant consent" }).click();
    await confirmRevocation(page, "Revokes 0 grants and 1 live token.", "Withdraw consent", "Vendor contract ended");
    await expect(page.getByText("The tenant's consent is withdrawn")).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("consent-withdrawn.png"), fullPage: true });

    expect((await decide(token, CALENDAR)).decision).toBe("deny");
    // No new tokens either, until the owner restores the consent.
    expect((await tokenRequest(agent.id, agent.secret, "calendar.write")).status).toBe(401);

    await page.getByRole("button", { name: "Restore tenant consent" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("New contract signed");
    await dialog.getByRole("button", { name: "Restore consent" }).click();
    await expect(page.getByText("The tenant's consent is withdrawn")).toBeHidden();
    const again = await tokenFor(agent.id, agent.secret, "calendar.write");
    expect((await decide(again, CALENDAR)).decision).toBe("allow");
    // What was revoked stays revoked.
    expect((await decide(token, CALENDAR)).decision).toBe("deny");
  });
});

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("uses the kill switch: everything the agent holds is revoked and it is suspended", async ({ page, browser }) => {
    const agent = await freshAgent({ role: "Scheduler", redirectUri: REDIRECT });
    const member = await browser.newContext({ storageState: storageState("member") });
    const delegated = await consent(await member.newPage(), agent);
    await member.close();
    const own = await tokenFor(agent.id, agent.secret, "calendar.write");

    await page.goto(`/acme/agents/${agent.id}`);
    await page.getByRole("button", { name: "Kill switch" }).click();
    await confirmRevocation(
      page,
      "Revokes 1 grant, 3 live tokens and 1 credential for 1 user.",
      "Revoke everything and suspend",
      "Credential found in a public repository",
    );
    await expect(page.getByRole("heading", { name: agent.name })).toContainText("Suspended");
    await page.screenshot({ path: test.info().outputPath("kill-switch.png"), fullPage: true });

    expect(await decide(own, CALENDAR)).toMatchObject({ decision: "deny" });
    expect(await decide(delegated.access_token, CALENDAR)).toMatchObject({ decision: "deny" });
    expect((await adminApi(`/agents/${agent.id}`)).status).toBe("suspended");
    const grants = await adminApi(`/grants?agent=${agent.id}&status=revoked`);
    expect(grants.data).toHaveLength(1);
    expect(grants.data[0].revoked_reason).toBe("Credential found in a public repository");
    // On record, with who, why, and the browser request it came from.
    const killed = await adminApi(`/audit/events?action=agent.kill&agent=${agent.id}`);
    expect(killed.data[0]).toMatchObject({
      actor: { type: "user", label: "admin@example.com" },
      reason: "Credential found in a public repository",
      data: { grants: 1, tokens: 3, credentials: 1, suspended: true },
      request_id: expect.any(String),
      ip: expect.any(String),
      user_agent: expect.stringContaining("Chrome"),
    });
  });
});
