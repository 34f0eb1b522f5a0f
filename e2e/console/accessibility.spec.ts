import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { type Permission, ROLE_PERMISSIONS, type Role } from "../../lib/permissions";
import { type AccountName, storageState } from "../fixtures/accounts";
import { adminApi, freshAgent } from "../fixtures/api";
import { REDIRECT, startAuthorization } from "../fixtures/consent";

// Every console page, as every role that can open it, in light and dark mode, checked by axe-core against WCAG 2.1 A and AA: no serious or critical violation anywhere.
// Each page's status is checked first, so a page that quietly became a 403 is not audited instead.

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// axe on a 50-row audit table takes about 10 s on a busy 2-core machine: room to spare.
test.describe.configure({ timeout: 90_000 });

interface Ids {
  agent: string;
  /** The agent Jordan (a plain member) owns, which they open from their overview. */
  membersAgent: string;
  person: string;
  policy: string;
  event: string;
}

let ids: Promise<Ids> | undefined;

/** Demo-world rows every role here may read: found once per worker through the admin API. */
function demoIds(): Promise<Ids> {
  ids ??= (async () => {
    const agent = async (name: string) => {
      const { data } = await adminApi(`/agents?tenant=acme&q=${name}`);
      return (data as { id: string; name: string }[]).find((a) => a.name === name)?.id as string;
    };
    const people = (await adminApi("/users?tenant=acme&q=member@acme.example")).data as { id: string }[];
    const policies = (await adminApi("/policies?tenant=acme")).data as { id: string }[];
    // An event with a before and after, so that its page shows the diff table.
    const events = (await adminApi("/audit/events?tenant=acme&action=agent.*&page_size=100")).data as {
      id: string;
      data: { before?: unknown } | null;
    }[];
    const found = {
      agent: await agent("invoice-bot"),
      membersAgent: await agent("contract-reviewer"),
      person: people[0]?.id,
      policy: policies[0]?.id,
      event: (events.find((e) => e.data?.before) ?? events[0])?.id,
    };
    for (const [key, value] of Object.entries(found)) expect(value, `the demo world's ${key}`).toBeTruthy();
    return found;
  })();
  return ids;
}

/** A page to audit; `:agent`, `:person`… stand for the demo world's rows (Ids). */
interface Visit {
  path: string;
  /** What opens it; undefined: anyone signed in to the tenant. */
  need?: Permission;
  status?: number;
}

const AGENT_TABS = ["", "/access", "/credentials", "/tokens", "/activity"];

const CONSOLE_PAGES: Visit[] = [
  { path: "/acme" },
  { path: "/acme/agents", need: "agents.read" },
  { path: "/acme/agents/new", need: "agents.write" },
  ...AGENT_TABS.map((tab) => ({ path: `/acme/agents/:agent${tab}`, need: "agents.read" as const })),
  { path: "/acme/agents/:agent/grants", need: "grants.read" },
  { path: "/acme/agents/:agent/audit", need: "audit.read" },
  { path: "/acme/agents/:agent/edit", need: "agents.write" },
  { path: "/acme/roles", need: "agents.read" },
  { path: "/acme/scopes", need: "agents.read" },
  { path: "/acme/grants", need: "grants.read_own" },
  { path: "/acme/people", need: "members.read" },
  { path: "/acme/people/:person", need: "members.read" },
  { path: "/acme/people/invitations", need: "members.manage" },
  { path: "/acme/policies", need: "policies.read" },
  { path: "/acme/policies/:policy", need: "policies.read" },
  { path: "/acme/policies/new", need: "policies.write" },
  { path: "/acme/approvals", need: "approvals.read" },
  { path: "/acme/audit", need: "audit.read" },
  { path: "/acme/audit/:event", need: "audit.read" },
  { path: "/acme/tenants", need: "tenants.manage" },
  { path: "/acme/settings", need: "settings.read" },
  { path: "/acme/settings/automation", need: "users.manage" },
  { path: "/acme/settings/mcp-clients", need: "settings.read" },
  { path: "/acme/no-such-page", status: 404 },
];

/** The demo role each stored session holds in Acme. */
const ROLE_OF: Record<AccountName, Role> = {
  admin: "security_admin",
  auditor: "auditor",
  owner: "tenant_owner",
  tenantAuditor: "auditor",
  member: "member",
};

function pagesFor(name: AccountName): Visit[] {
  const permissions = ROLE_PERMISSIONS[ROLE_OF[name]];
  const pages = CONSOLE_PAGES.filter((v) => !v.need || permissions.has(v.need));
  // A member opens only the agent they own (not its grants or audit tabs), and gets the 403 page
  // for the registry.
  if (name === "member")
    pages.push(...AGENT_TABS.map((tab) => ({ path: `/acme/agents/:membersAgent${tab}` })), {
      path: "/acme/agents",
      status: 403,
    });
  return pages;
}

/** The page's serious and critical violations, each with the elements and what is wrong with them. */
async function violations(page: Page): Promise<string[]> {
  // Only violations are needed: passes and incomplete results are left out (a long table is slow to serialise).
  const results = await new AxeBuilder({ page })
    .withTags(WCAG)
    .options({ resultTypes: ["violations"] })
    // The console has no frames, so axe runs in the page itself rather than finishing in a second,
    // blank page: half the time.
    .setLegacyMode()
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const nodes = v.nodes.map(
        (n) => `  ${n.target.join(" ")}\n    ${(n.failureSummary ?? "").replace(/\n/g, "\n    ")}`,
      );
      return `${v.id} (${v.impact}): ${v.help}\n${nodes.join("\n")}`;
    });
}

/**
 * Next prefetches every link in view once the page is idle (thirty or so requests a page), which
 * audits do not need: refused, so that "network idle" comes sooner and the server does less.
 */
async function withoutPrefetches(page: Page) {
  await page.route(/[?&]_rsc=/, (route) =>
    route.request().headers()["next-router-prefetch"] ? route.abort() : route.fallback(),
  );
}

/** Opens the page, checks its status (so that a page which became a 403 is not audited instead), audits it. */
async function expectAccessible(page: Page, { path, status = 200 }: Visit) {
  const known = await demoIds();
  const url = path.replace(/:(\w+)/g, (_, key: keyof Ids) => known[key]);
  await withoutPrefetches(page);
  const response = await page.goto(url);
  expect(response?.status(), url).toBe(status);
  // Client components (charts, menus) render after hydration.
  await page.waitForLoadState("networkidle");
  const found = await violations(page);
  expect(found, `${url}: ${found.length} serious or critical violations\n\n${found.join("\n\n")}`).toEqual([]);
}

for (const name of Object.keys(ROLE_OF) as AccountName[]) {
  test.describe(`as ${name}`, () => {
    test.use({ storageState: storageState(name) });
    for (const visit of pagesFor(name)) {
      test(`${visit.path} (${visit.status ?? 200})`, ({ page }) => expectAccessible(page, visit));
    }
  });
}

// Dark mode: every page as the security admin (who opens them all), and what only others see.
test.describe("in dark mode, as admin", () => {
  test.use({ storageState: storageState("admin"), colorScheme: "dark" });
  for (const visit of pagesFor("admin")) {
    test(`${visit.path} (${visit.status ?? 200})`, ({ page }) => expectAccessible(page, visit));
  }
});

test.describe("in dark mode, as owner", () => {
  test.use({ storageState: storageState("owner"), colorScheme: "dark" });
  test("/acme (200)", ({ page }) => expectAccessible(page, { path: "/acme" }));
});

test.describe("in dark mode, as a member", () => {
  test.use({ storageState: storageState("member"), colorScheme: "dark" });
  test("/acme/agents (403)", ({ page }) => expectAccessible(page, { path: "/acme/agents", status: 403 }));
});

// What only shows once opened: the command palette, a row's menu, the revoke dialog, a form's errors.
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`opened, as owner (${colorScheme})`, () => {
    test.use({ storageState: storageState("owner"), colorScheme });

    /** Audits the page as it is now, without navigating. */
    async function expectNoViolations(page: Page, what: string) {
      const found = await violations(page);
      expect(found, `${what}: ${found.length} serious or critical violations\n\n${found.join("\n\n")}`).toEqual([]);
    }

    test("the command palette and an anomaly's menu", async ({ page }) => {
      await page.goto("/acme");
      await page
        .getByRole("button", { name: /More actions/ })
        .first()
        .click();
      await expect(page.getByRole("menu")).toBeVisible();
      await expectNoViolations(page, "an anomaly's menu");
      await page.keyboard.press("Escape");
      await page.getByRole("button", { name: /^Search/ }).click();
      const palette = page.getByRole("dialog");
      await expect(palette).toBeVisible();
      await page.keyboard.type("invoice");
      await expect(palette.getByRole("option").first()).toBeVisible();
      await expectNoViolations(page, "the command palette");
    });

    test("the revoke dialog", async ({ page }) => {
      await page.goto("/acme/grants");
      await page.getByRole("button", { name: "Revoke", exact: true }).first().click();
      const dialog = page.getByRole("dialog");
      await expect(dialog.getByTestId("revocation-impact")).toContainText("Revokes");
      await expectNoViolations(page, "the revoke dialog");
    });

    test("the register form with its errors", async ({ page }) => {
      await page.goto("/acme/agents/new");
      await page.getByRole("button", { name: "Register agent" }).click();
      await expect(page.getByText("Some fields are not valid.")).toBeVisible();
      await expectNoViolations(page, "the register form's errors");
    });
  });
}

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  for (const colorScheme of ["light", "dark"] as const) {
    test.describe(colorScheme, () => {
      test.use({ colorScheme });
      test("the sign-in page", ({ page }) => expectAccessible(page, { path: "/sign-in" }));
      test("a dead invitation link", ({ page }) =>
        expectAccessible(page, { path: "/invite/not-a-real-invitation-token" }));
    });
  }
});

test.describe("the consent page", () => {
  test.use({ storageState: storageState("member") });
  for (const colorScheme of ["light", "dark"] as const) {
    test(`asks a person to let an agent act for them (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      const agent = await freshAgent({ role: "Scheduler", redirectUri: REDIRECT });
      await startAuthorization(page, agent.id, "calendar.write contacts.read");
      await expect(page.getByRole("button", { name: "Allow" })).toBeVisible();
      await page.waitForLoadState("networkidle");
      const found = await violations(page);
      expect(found, found.join("\n\n")).toEqual([]);
    });
  }
});
