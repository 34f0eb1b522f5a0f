import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";
import { signIn } from "../fixtures/sign-in";

// People and invitations on the demo world's server (no SMTP there: links are shown to copy).

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const PASSWORD = "a long enough passphrase";

/** A person of their own for a test, added to Acme with a password through the admin API. */
async function freshPerson(role: "member" | "auditor" = "member") {
  const email = `${unique("person")}@acme.example`;
  const name = unique("Person");
  const person = await adminApi("/users", {
    method: "POST",
    body: { email, name, tenant: "acme", role, password: PASSWORD },
  });
  return { id: person.id as string, email, name };
}

test.describe("as Acme's tenant owner", () => {
  test.use({ storageState: storageState("owner") });

  test("invites someone, sees the link once and the invitation pending, then revokes it", async ({ page, browser }) => {
    const email = `${unique("invitee")}@acme.example`;
    await page.goto("/acme/people");
    await page.getByRole("button", { name: "Invite people" }).click();
    const form = page.getByRole("form", { name: "Invite a person" });
    // Errors are named on their fields.
    await form.getByLabel("Email").fill("not an email");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expect(form.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await form.getByLabel("Email").fill(email);
    await expect(form.getByLabel("Access")).toHaveCount(0); // no global roles for a tenant owner
    await form.getByLabel("Role in Acme Corp").selectOption({ label: "Auditor" });
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByTestId("invitation-link")).toContainText("Email is not set up here");
    const link = (await page.getByTestId("invitation-url").textContent()) ?? "";
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await page.getByRole("button", { name: "Done" }).click();

    await page.getByRole("link", { name: /^Invitations/ }).click();
    const row = page.getByRole("row").filter({ hasText: email });
    await expect(row).toContainText("Auditor of Acme Corp");
    await expect(row).toContainText("pending");
    // The link is not shown again anywhere.
    expect(await page.content()).not.toContain(link.split("/invite/")[1]);
    await row.getByRole("button", { name: `Revoke the invitation to ${email}` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Sent to the wrong address");
    await dialog.getByRole("button", { name: "Revoke invitation" }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole("combobox", { name: "Status" }).selectOption("all");
    await expect(page.getByRole("row").filter({ hasText: email })).toContainText("revoked");

    const visitor = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const tab = await visitor.newPage();
    await tab.goto(link);
    await expect(tab.getByRole("heading", { name: "This invitation was withdrawn" })).toBeVisible();
    await expect(tab.getByText("Nothing has changed.")).toBeVisible();
    await visitor.close();
  });

  test("changes a member's role and removes them from the tenant", async ({ page }) => {
    const person = await freshPerson();
    await page.goto(`/acme/people?q=${encodeURIComponent(person.email)}`);
    await page.getByRole("link", { name: person.name }).click();
    const role = page.getByLabel(`${person.name}'s role in Acme Corp`);
    await role.selectOption("auditor");
    await expect(role).toHaveValue("auditor");
    await page.reload();
    await expect(page.getByLabel(`${person.name}'s role in Acme Corp`)).toHaveValue("auditor");

    await page.getByRole("button", { name: `Remove ${person.name} from Acme Corp` }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Moved to another team");
    await dialog.getByRole("button", { name: "Remove from tenant" }).click();
    await expect(dialog).toBeHidden();
    await page.goto(`/acme/people?q=${encodeURIComponent(person.email)}`);
    await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
  });

  test("cannot demote the tenant's last owner", async ({ page }) => {
    await page.goto("/acme/people");
    await page.getByRole("link", { name: "Priya Nair" }).click();
    await page.getByLabel("Priya Nair's role in Acme Corp").selectOption("member");
    await expect(page.getByRole("alert").filter({ hasText: "last owner" })).toContainText("last owner of Acme Corp");
    await page.reload();
    await expect(page.getByLabel("Priya Nair's role in Acme Corp")).toHaveValue("owner");
  });
});

test("someone with no role anywhere is told so, and can sign out", async ({ page }) => {
  const person = await freshPerson();
  await adminApi(`/tenants/acme/members/${person.id}`, { method: "DELETE", body: { reason: "No longer on the team" } });
  await signIn(page, person.email, PASSWORD);
  await expect(page.getByRole("heading", { name: "You are not in any tenant yet" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
});
