import { expect, type Page, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { ACCOUNTS, DEMO_PASSWORD, storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";
import { insecure, REDIRECT, startAuthorization } from "../fixtures/consent";

// Authorization code + PKCE through the consent page, in Chromium: the demo's calendar-scheduler
// (Acme, roles giving calendar.write and contacts.read) asks to act for Acme's member. The agent's
// side (discovery, PKCE, the code exchange, introspection) is a standard OAuth client library.

/** The scheduler agent and a fresh client secret for it, through the admin API. */
async function scheduler() {
  const list = await adminApi("/agents?tenant=acme&q=calendar-scheduler");
  const id = list.data[0].id as string;
  const credential = await adminApi(`/agents/${id}/credentials`, {
    method: "POST",
    body: { type: "client_secret", label: "consent e2e" },
  });
  return { id, secret: credential.client_secret as string };
}

const start = (page: Page, clientId: string) => startAuthorization(page, clientId, "calendar.write contacts.read");

test.describe("as Acme's member", () => {
  test.use({ storageState: storageState("member") });

  test("consents to part of what an agent asks for, and the agent gets exactly that", async ({ page }) => {
    const agent = await scheduler();
    const { as, verifier, state } = await start(page, agent.id);

    await expect(page.getByRole("heading", { name: "Allow calendar-scheduler to act for you?" })).toBeVisible();
    await expect(page.getByText("Priya Nair")).toBeVisible();
    await expect(page.getByText("Acme Corp", { exact: true }).first()).toBeVisible();
    const write = page.getByRole("checkbox", { name: /calendar\.write/ });
    const read = page.getByRole("checkbox", { name: /contacts\.read/ });
    await expect(write).toBeChecked();
    await expect(read).toBeChecked();
    await page.screenshot({ path: test.info().outputPath("consent.png"), fullPage: true });
    await write.uncheck();
    await page.getByRole("button", { name: "Allow" }).click();

    await page.waitForURL(`${REDIRECT}**`);
    const client: oauth.Client = { client_id: agent.id };
    const params = oauth.validateAuthResponse(as, client, new URL(page.url()), state);
    const auth = oauth.ClientSecretBasic(agent.secret);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT, verifier, insecure),
    );
    expect(tokens.scope).toBe("contacts.read");
    expect(tokens.refresh_token).toBeTruthy();
    const introspection = await oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, auth, tokens.access_token, insecure),
    );
    expect(introspection).toMatchObject({ active: true, scope: "contacts.read", client_id: agent.id });
    expect(introspection.sub).toBeTruthy();

    // The grant is on record for the security team, with its token.
    const listed = await adminApi(`/tokens?agent=${agent.id}`);
    expect(
      listed.data.some((t: { subject: { email: string } | null }) => t.subject?.email === ACCOUNTS.member.email),
    ).toBe(true);
  });

  test("refuses, and the agent is told access_denied", async ({ page }) => {
    const agent = await scheduler();
    await start(page, agent.id);
    await page.getByRole("button", { name: "Refuse" }).click();
    await page.waitForURL(`${REDIRECT}**`);
    expect(new URL(page.url()).searchParams.get("error")).toBe("access_denied");
  });
});

test("someone not signed in signs in first, then sees the consent page", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const agent = await scheduler();
  await start(page, agent.id);
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByLabel("Email").fill(ACCOUNTS.member.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Allow calendar-scheduler to act for you?" })).toBeVisible();
  await context.close();
});
