import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { type AccountName, storageState } from "../fixtures/accounts";
import { adminApi, freshAgent } from "../fixtures/api";
import { exchangeCode, REDIRECT, startAuthorization } from "../fixtures/consent";

// A tenant owner with only a keyboard: the skip link first, then registering an agent through the
// form and revoking a grant through its dialog. Nothing is clicked or filled: focus moves with Tab,
// Shift+Tab, Enter, Space and the arrow keys, as it would for someone who cannot use a mouse, and
// every control reached on the way must show where the focus is.

test.use({ storageState: storageState("owner") });

/** What the focused element is, in words a failure message can show. */
function describeFocus(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return "nothing";
    const name = el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 60) ?? "";
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}> ${name}`;
  });
}

/** What to stop on: every given attribute must match (text: the accessible name or the text). */
interface Stop {
  id?: string;
  text?: string;
  href?: string;
  type?: string;
}

/** Presses Tab until the focused element is the stop, as a keyboard user would. */
async function tabTo(page: Page, stop: Stop, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const found = await page.evaluate((s) => {
      const el = document.activeElement;
      if (!el || el === document.body) return false;
      const text = (el.getAttribute("aria-label") ?? el.textContent ?? "").replace(/\s+/g, " ").trim();
      return (
        (s.id === undefined || el.id === s.id) &&
        (s.text === undefined || text === s.text) &&
        (s.href === undefined || el.getAttribute("href") === s.href) &&
        (s.type === undefined || el.getAttribute("type") === s.type)
      );
    }, stop);
    if (found) return;
  }
  throw new Error(
    `Tabbed ${max} times without reaching ${JSON.stringify(stop)}; focus is on ${await describeFocus(page)}`,
  );
}

/**
 * Whether the focused control shows where the focus is: its outline, ring (box-shadow) or border
 * differs from an unfocused copy of it, or (for a composite control such as the policy editor) a
 * wrapper's does, through :focus-within, on itself or its ::after.
 */
function focusShown(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { shown: true, style: "" };
    const look = (e: Element, pseudo?: string) => {
      const s = getComputedStyle(e, pseudo);
      const outline =
        s.outlineStyle !== "none" && Number.parseFloat(s.outlineWidth) > 0 && s.outlineColor !== "rgba(0, 0, 0, 0)";
      return `${outline ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "no outline"} | ${s.boxShadow} | ${s.borderColor}`;
    };
    const differs = (e: Element) => {
      // A shallow copy beside it has the same classes but neither the focus nor a focused child.
      const copy = e.cloneNode(false) as Element;
      copy.removeAttribute("id");
      e.after(copy);
      const changed = look(e) !== look(copy) || look(e, "::after") !== look(copy, "::after");
      copy.remove();
      return changed;
    };
    let shown = differs(el);
    for (let up = el.parentElement, i = 0; !shown && up && up !== document.body && i < 4; up = up.parentElement, i++)
      shown = differs(up);
    return { shown, style: look(el) };
  });
}

async function expectFocusRing(page: Page) {
  const { shown, style } = await focusShown(page);
  expect(shown, `${await describeFocus(page)} shows no focus (${style})`).toBe(true);
}

test("a tenant owner skips to the content, registers an agent and revokes a grant without a mouse", async ({
  page,
  browser,
}) => {
  test.slow();
  // A grant only this test touches: an agent of its own, which Jordan (a member) lets act for them.
  const agent = await freshAgent({ role: "Scheduler", redirectUri: REDIRECT });
  const member = await browser.newContext({ storageState: storageState("member") });
  const consenting = await member.newPage();
  const started = await startAuthorization(consenting, agent.id, "calendar.write");
  await consenting.getByRole("button", { name: "Allow" }).press("Enter");
  await exchangeCode(consenting, started, agent);
  await member.close();

  // The first Tab reaches the skip link, shown on focus; Enter puts the focus on the page's content.
  await page.goto("/acme/agents");
  const skip = page.getByRole("link", { name: "Skip to content" });
  // Clipped away (for screen readers only) until it has the focus, then shown in full.
  const clip = () => skip.evaluate((el) => getComputedStyle(el).clipPath);
  expect(await clip()).not.toBe("none");
  await page.keyboard.press("Tab");
  await expect(skip).toBeFocused();
  expect(await clip()).toBe("none");
  expect((await skip.boundingBox())?.width).toBeGreaterThan(50);
  await expectFocusRing(page);
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  // From the content, the next stops are the page's own: Register agent opens the form.
  await tabTo(page, { text: "Register agent" });
  await expectFocusRing(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/acme\/agents\/new$/);
  await expect(page.getByRole("heading", { name: "Register an agent" })).toBeVisible();

  const name = `keyboard-${randomBytes(3).toString("hex")}`;
  await tabTo(page, { id: "name" });
  await expectFocusRing(page);
  await page.keyboard.type(name);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Description", { exact: true })).toBeFocused();
  await page.keyboard.press("Shift+Tab");
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
  await page.keyboard.press("Tab");
  await page.keyboard.type("Registered with the keyboard alone");
  await page.keyboard.press("Tab");
  const owner = page.getByLabel("Accountable owner");
  await expect(owner).toBeFocused();
  await expectFocusRing(page);
  // A closed select changes its choice with the arrow keys: the first person after "Choose a person".
  await page.keyboard.press("ArrowDown");
  await expect(owner).not.toHaveValue("");
  await tabTo(page, { id: "environment" });
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("Environment", { exact: true })).toHaveValue("staging");
  await tabTo(page, { text: "Register agent" });
  await expectFocusRing(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/acme\/agents\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Pending");

  // On to the sidebar's Grants.
  await tabTo(page, { href: "/acme/grants" });
  await expectFocusRing(page);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/acme\/grants$/);
  await expect(page.getByRole("heading", { name: "Grants", level: 1 })).toBeVisible();

  // Search for the agent, then its one grant's Revoke button, then the dialog.
  await tabTo(page, { type: "search" });
  await expectFocusRing(page);
  await page.keyboard.type(agent.name);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${agent.name}`));
  const row = page.getByRole("row").filter({ hasText: agent.name });
  await expect(row).toHaveCount(1);
  await expect(page.getByRole("table", { name: "Grants" }).getByRole("row")).toHaveCount(2); // header + the grant
  await tabTo(page, { text: "Revoke" });
  await expectFocusRing(page);
  await page.keyboard.press("Space");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("revocation-impact")).toHaveText("Revokes 1 grant and 2 live tokens for 1 user.");
  // The dialog puts the focus on its first field, the reason.
  await expect(dialog.getByLabel("Reason")).toBeFocused();
  await expectFocusRing(page);
  await page.keyboard.type("Revoked from the keyboard");
  await tabTo(page, { text: "Revoke grant" });
  await expectFocusRing(page);
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status")).toHaveText("Revoked 1 grant and 2 live tokens.");
  await expect(page.getByRole("row").filter({ hasText: agent.name })).toHaveCount(0);
});

// Every control these pages have, reached with Tab from the top, shows the focus.
const SWEPT: { path: string; as: AccountName }[] = [
  { path: "/acme", as: "owner" },
  { path: "/acme/agents", as: "owner" },
  { path: "/acme/agents/new", as: "owner" },
  { path: "/acme/agents/:agent", as: "owner" },
  { path: "/acme/grants", as: "owner" },
  { path: "/acme/audit", as: "owner" },
  { path: "/acme/policies/new", as: "admin" },
  { path: "/acme/settings/automation", as: "admin" },
];
for (const { path, as } of SWEPT) {
  test.describe(`as ${as}`, () => {
    test.use({ storageState: storageState(as) });

    test(`every control on ${path} shows a focus ring`, async ({ page }) => {
      test.slow();
      if (path.includes(":agent")) {
        const { data } = await adminApi("/agents?tenant=acme&q=invoice-bot");
        await page.goto(path.replace(":agent", (data as { id: string }[])[0].id));
      } else await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).not.toContainText("403");
      await page.waitForLoadState("networkidle");
      const missing: string[] = [];
      let reached = 0;
      for (let stays = 0; reached < 200; ) {
        await page.keyboard.press("Tab");
        const stop = await page.evaluate(() => {
          const w = window as { seen?: WeakSet<Element>; last?: Element };
          const el = document.activeElement;
          if (!el || el === document.body) return "out";
          w.seen ??= new WeakSet();
          const seen = w.seen;
          // Tab moves inside some controls first: a date's fields, the policy editor (which keeps
          // Tab for indenting until Escape).
          if (el === w.last) return el.closest(".cm-editor") ? "editor" : "inside";
          w.last = el;
          if (seen.has(el)) return "out"; // past the last control, the next Tab starts again at the top
          seen.add(el);
          return "new";
        });
        if (stop === "out") break;
        if (stop !== "new") {
          if (++stays > 4) {
            missing.push(`Tab does not leave ${await describeFocus(page)}`);
            break;
          }
          if (stop === "editor") await page.keyboard.press("Escape");
          continue;
        }
        stays = 0;
        reached++;
        if (!(await focusShown(page)).shown) missing.push(await describeFocus(page));
      }
      expect(reached, "controls reached").toBeGreaterThan(10);
      expect(missing, `controls without a visible focus on ${path}`).toEqual([]);
    });
  });
}
