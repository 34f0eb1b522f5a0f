import { type Browser, expect, type Page, test } from "@playwright/test";
import { FRESH_ADMIN, FRESH_URL, MAILBOX_URL } from "../../playwright.config";
import { decide, tokenFor } from "../fixtures/api";
import { exchangeCode, isActive, startAuthorization } from "../fixtures/consent";

// A real installation, as a new customer starts it: no demo world, only the bootstrap security
// admin (BOOTSTRAP_ADMIN_EMAIL/PASSWORD) and a real SMTP server for invitations. From the first
// tenant to a leaver's offboarding, in Chromium, through the console only; the agent's side over
// HTTP with a standard OAuth client.

test.use({ baseURL: FRESH_URL, storageState: { cookies: [], origins: [] } });

const OWNER = { email: "olivia@northwind.example", name: "Olivia Park", password: "olivia's long passphrase" };
const MEMBER = "marcus@northwind.example";

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The invitation link that arrived at the SMTP server for this address. */
async function mailedLink(to: string): Promise<string> {
  let link: string | null = null;
  await expect
    .poll(async () => {
      const messages = (await (await fetch(`${MAILBOX_URL}?to=${encodeURIComponent(to)}`)).json()) as {
        link: string | null;
      }[];
      link = messages.at(-1)?.link ?? null;
      return link;
    })
    .toBeTruthy();
  return link as unknown as string;
}

async function invite(page: Page, email: string, role: "Tenant owner" | "Member") {
  await page.getByRole("link", { name: "People" }).first().click();
  await page.getByRole("button", { name: "Invite people" }).click();
  const form = page.getByRole("form", { name: "Invite a person" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel(/^Role in /).selectOption({ label: role });
  await form.getByRole("button", { name: "Send invitation" }).click();
  const notice = page.getByTestId("invitation-link");
  await expect(notice).toContainText(`Sent to ${email}.`);
  const url = (await page.getByTestId("invitation-url").textContent()) ?? "";
  await page.getByRole("button", { name: "Done" }).click();
  return url;
}

async function newPage(browser: Browser) {
  const context = await browser.newContext({ baseURL: FRESH_URL });
  return context.newPage();
}

test("a new installation: first tenant, invited owner, an agent at work, and a leaver's offboarding", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const admin = await newPage(browser);

  // 1. The bootstrap admin signs in to an empty installation and creates the first tenant.
  await signIn(admin, FRESH_ADMIN.email, FRESH_ADMIN.password);
  await expect(admin.getByRole("heading", { name: "Create your first tenant" })).toBeVisible();
  await expect(admin.getByRole("button", { name: "Sign out" })).toBeVisible();
  await admin.getByLabel("Name").fill("Northwind Traders");
  await expect(admin.getByLabel(/^Slug/)).toHaveValue("northwind-traders");
  await admin.getByLabel(/^Slug/).fill("api");
  await admin.getByRole("button", { name: "Create tenant" }).click();
  await expect(admin.getByText("That name is reserved.")).toBeVisible();
  await admin.getByLabel(/^Slug/).fill("northwind");
  await admin.getByRole("button", { name: "Create tenant" }).click();
  await expect(admin).toHaveURL(/\/northwind$/);
  await expect(admin.getByRole("heading", { name: "Northwind Traders" })).toBeVisible();

  // 2. …invites the tenant's owner; the link shown once is the one the email carries.
  const shown = await invite(admin, OWNER.email, "Tenant owner");
  expect(shown).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  expect(await mailedLink(OWNER.email)).toBe(shown);

  // 3. The owner follows the emailed link, sets a name and password, and signs in.
  const owner = await newPage(browser);
  await owner.goto(await mailedLink(OWNER.email));
  await expect(owner.getByText("as Tenant owner of Northwind Traders")).toBeVisible();
  await owner.getByLabel("Your name").fill(OWNER.name);
  await owner.getByLabel(/^Choose a password/).fill(OWNER.password);
  await owner.getByLabel("Repeat the password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Accept and set password" }).click();
  await expect(owner.getByText("Your account is ready. Sign in to continue.")).toBeVisible();
  await expect(owner.getByLabel("Email")).toHaveValue(OWNER.email);
  await owner.getByLabel("Password").fill(OWNER.password);
  await owner.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(owner).toHaveURL(/\/northwind$/);
  await expect(owner.getByTestId("user-role")).toHaveText("Tenant owner");
  // The link was single-use.
  const again = await newPage(browser);
  await again.goto(shown);
  await expect(again.getByRole("heading", { name: "This invitation has already been used" })).toBeVisible();

  // 4. The owner invites a member.
  const memberLink = await invite(owner, MEMBER, "Member");
  expect(await mailedLink(MEMBER)).toBe(memberLink);

  // 5. The owner defines a scope and a role; the security admin writes the policy that allows it.
  await owner.goto("/northwind/scopes");
  const scopeForm = owner.getByRole("form", { name: "New scope" });
  await scopeForm.getByLabel("Name").fill("crm.read");
  await scopeForm.getByLabel("Description").fill("Read customer records");
  await scopeForm.getByLabel("Risk").selectOption("low");
  await scopeForm.getByRole("button", { name: "Add scope" }).click();
  await expect(owner.getByRole("row").filter({ hasText: "crm.read" })).toBeVisible();
  await owner.goto("/northwind/roles");
  const roleForm = owner.getByRole("form", { name: "New role" });
  await roleForm.getByLabel("Name").fill("CRM reader");
  await roleForm.getByRole("checkbox", { name: "crm.read" }).check();
  await roleForm.getByRole("button", { name: "Add role" }).click();
  await expect(owner.getByRole("row").filter({ hasText: "CRM reader" })).toBeVisible();

  await admin.goto("/northwind/policies/new");
  const policy = admin.getByRole("form", { name: "New policy" });
  await policy
    .getByLabel("Policy (Cedar)")
    .fill('permit (principal is Agent, action == Action::"crm.read", resource);');
  await expect(admin.getByTestId("cedar-status")).toContainText("Valid");
  await policy.getByLabel("Name", { exact: true }).fill("Agents read the CRM");
  await policy.getByRole("button", { name: "Create policy" }).click();
  await expect(admin).toHaveURL(/\/northwind\/policies\/[0-9a-f-]{36}$/);

  // 6. The owner registers an agent, activates it, gives it the role and a client secret.
  await owner.goto("/northwind/agents/new");
  await owner.getByLabel("Name").fill("crm-assistant");
  await owner.getByLabel("Accountable owner").selectOption({ label: `${OWNER.name} (${OWNER.email})` });
  await owner.getByLabel("Environment").selectOption("production");
  await owner.getByLabel(/Redirect URIs/).fill("http://localhost:8787/callback");
  await owner.getByRole("button", { name: "Register agent" }).click();
  await expect(owner.getByRole("heading", { name: "crm-assistant" })).toBeVisible();
  const agentId = owner.url().split("/").at(-1) as string;
  await owner.getByRole("button", { name: "Activate" }).click();
  const activate = owner.getByRole("dialog");
  await activate.getByLabel("Reason").fill("Ready for the sales team");
  await activate.locator("button[type=submit]").click();
  await expect(activate).toBeHidden();
  await owner.goto(`/northwind/agents/${agentId}/access`);
  await owner.getByLabel("Role to assign").selectOption({ label: "CRM reader" });
  await owner.getByRole("button", { name: "Assign" }).click();
  await expect(owner.getByRole("table", { name: "Effective scopes" })).toContainText("crm.read");
  await owner.goto(`/northwind/agents/${agentId}/credentials`);
  await owner.getByRole("button", { name: "New client secret" }).click();
  const secret = (await owner.getByTestId("secret-value").textContent()) ?? "";
  await owner.getByRole("button", { name: "Done" }).click();
  const agent = { id: agentId, secret };

  // 7. The agent gets a token with client credentials, and its decision is allowed.
  const own = await tokenFor(agent.id, agent.secret, "crm.read", FRESH_URL);
  const read = { action: "crm.read", resource: { type: "Record", id: "acct-1" } };
  expect(await decide(own, read, FRESH_URL)).toMatchObject({ decision: "allow" });

  // 8. The owner lets the agent act for them (authorization code + PKCE, the consent page).
  const started = await startAuthorization(owner, agent.id, "crm.read", FRESH_URL);
  await expect(owner.getByRole("heading", { name: "Allow crm-assistant to act for you?" })).toBeVisible();
  await owner.getByRole("button", { name: "Allow" }).click();
  const delegated = await exchangeCode(owner, started, agent);
  expect(await decide(delegated.access_token, read, FRESH_URL)).toMatchObject({ decision: "allow" });

  // 9. The owner leaves: the admin deactivates them, the impact stated first.
  await admin.goto("/northwind/people");
  await admin.getByRole("link", { name: OWNER.name }).click();
  await admin.getByRole("button", { name: "Deactivate" }).click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog.getByTestId("offboarding-impact")).toHaveText(
    /^Revokes 1 grant and 2 live tokens, ends 1 console session; 1 agent loses its owner; Northwind Traders will have no active owner\.$/,
  );
  await dialog.getByLabel("Reason").fill("Left the company");
  await dialog.getByRole("button", { name: "Deactivate" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByText("Deactivated", { exact: true }).first()).toBeVisible();

  // The agent acting for the leaver is refused on its very next request; its own token still works.
  expect(await decide(delegated.access_token, read, FRESH_URL)).toMatchObject({ decision: "deny" });
  expect(await isActive(agent, delegated.access_token, FRESH_URL)).toBe(false);
  expect(await decide(own, read, FRESH_URL)).toMatchObject({ decision: "allow" });
  // The leaver's console session is over.
  await owner.goto("/northwind");
  await expect(owner).toHaveURL(/\/sign-in/);
  await admin.screenshot({ path: test.info().outputPath("offboarded.png"), fullPage: true });
});
