import { expect, type Page, test } from "@playwright/test";
import { ACCOUNTS, type AccountName, storageState } from "../fixtures/accounts";

const ALL = ["Overview", "Agents", "Grants", "People", "Policies", "Approvals", "Audit", "Tenants", "Settings"];
const without = (...sections: string[]) => ALL.filter((s) => !sections.includes(s));

const EXPECTED: Record<AccountName, { nav: string[]; tenants: string[] }> = {
  admin: { nav: ALL, tenants: ["Acme Corp", "Globex", "Initech"] },
  auditor: { nav: without("Tenants", "Settings"), tenants: ["Acme Corp", "Globex", "Initech"] },
  owner: { nav: without("Tenants"), tenants: ["Acme Corp"] },
  tenantAuditor: { nav: without("Tenants", "Settings"), tenants: ["Acme Corp"] },
  // Jordan owns an Acme agent, so Approvals opens for that agent's requests.
  member: { nav: ["Overview", "Grants", "Approvals"], tenants: ["Acme Corp", "Globex"] },
};

async function navLabels(page: Page) {
  // A link may carry a count (Approvals: "3 pending"): only its label is compared.
  const links = page.getByRole("navigation", { name: "Sections" }).first().getByRole("link");
  return (await links.allInnerTexts()).map((s) => s.replace(/\s+\d+\s+pending\s*$/, ""));
}

for (const name of Object.keys(EXPECTED) as AccountName[]) {
  test.describe(`as ${name}`, () => {
    test.use({ storageState: storageState(name) });

    test("sees their sections and only the tenants they may see", async ({ page }) => {
      await page.goto("/");
      await expect(page).toHaveURL(/\/acme$/);
      await expect(page.getByRole("heading", { name: "Acme Corp" })).toBeVisible();
      await expect(page.getByTestId("user-role")).toHaveText(ACCOUNTS[name].role);
      expect((await navLabels(page)).map((s) => s.trim())).toEqual(EXPECTED[name].nav);
      await page
        .getByRole("button", { name: /Switch tenant/ })
        .first()
        .click();
      const options = page.getByRole("list", { name: "Tenants" }).first().getByRole("link");
      await expect(options).toHaveText(EXPECTED[name].tenants);
      await page.screenshot({ path: `test-results/screens/roles-${name}.png`, fullPage: true });
    });
  });
}

test.describe("as a member", () => {
  test.use({ storageState: storageState("member") });

  test("gets a clear 403 page for sections their role does not open", async ({ page }) => {
    for (const section of ["agents", "people", "policies", "audit", "tenants", "settings", "../globex/approvals"]) {
      const response = await page.goto(`/acme/${section}`);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: /403 · Your role does not open this page/ })).toBeVisible();
    }
  });

  test("sees 'My connected agents' on the grants page", async ({ page }) => {
    await page.goto("/acme/grants");
    await expect(page.getByRole("heading", { name: "My connected agents" })).toBeVisible();
  });
});

test.describe("as an auditor", () => {
  test.use({ storageState: storageState("auditor") });

  test("switches tenants and reads them, but cannot open settings", async ({ page }) => {
    await page.goto("/acme");
    await page
      .getByRole("button", { name: /Switch tenant/ })
      .first()
      .click();
    await page.getByRole("list", { name: "Tenants" }).first().getByRole("link", { name: "Globex" }).click();
    await expect(page).toHaveURL(/\/globex$/);
    await expect(page.getByRole("heading", { name: "Globex" })).toBeVisible();
    const response = await page.goto("/globex/settings");
    expect(response?.status()).toBe(403);
  });
});

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("sees every member of a tenant on the People page, filtered by the tenant in the URL", async ({ page }) => {
    await page.goto("/initech/people?tenant=initech");
    const rows = page.getByRole("table", { name: "People" }).getByRole("row");
    await expect(rows).toHaveCount(4); // header + 3 people
    await expect(page.getByText("owner@initech.example")).toBeVisible();
    await expect(page.getByLabel("Tenant", { exact: true })).toHaveValue("initech");
  });
});
