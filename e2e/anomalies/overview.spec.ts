import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";

// The Overview as Acme's owner uses it, on the demo world's recorded traffic (its anomalies are
// found at first start): headline cards that open the lists they count, the usage charts with
// their anomaly markers, repeated anomalies grouped into one row, each row's secondary actions
// in a menu that works by keyboard, an anomaly's audit link that opens exactly its window, and
// containment in one click. Each test acts on anomalies of its own.

interface ApiAnomaly {
  id: string;
  kind: string;
  agent: { id: string; name: string };
  window_start: string;
  window_end: string;
}

async function openAnomalies(): Promise<ApiAnomaly[]> {
  return (await adminApi("/anomalies?status=open")).data;
}

test.describe("as the tenant owner", () => {
  test.use({ storageState: storageState("owner") });

  test("the headline cards open the lists they count, filtered as they count", async ({ page }) => {
    await page.goto("/acme");
    const cards = page.getByRole("region", { name: "At a glance" });
    for (const id of ["agents", "tokens", "decisions", "denials", "approvals", "anomalies"]) {
      await expect(cards.getByTestId(`headline-${id}`)).toBeVisible();
    }
    await expect(cards.getByTestId("headline-grants")).toHaveCount(0);
    const window = (await page.getByTestId("headline-window").textContent()) ?? "";
    const since = /since (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC/.exec(window);
    expect(since, window).not.toBeNull();
    const from = `${since?.[1]}T${since?.[2]}:00.000Z`;
    // The window starts on the hour, 23 hours before the current one.
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    expect([hour - 23 * 3_600_000, hour - 24 * 3_600_000]).toContain(Date.parse(from));

    await cards.getByTestId("headline-agents").click();
    await expect(page).toHaveURL(/\/acme\/agents\?status=active$/);
    await expect(page.getByRole("table")).toBeVisible();

    await page.goBack();
    await cards.getByTestId("headline-denials").click();
    await expect(page).toHaveURL(/\/acme\/audit\?/);
    const denials = new URL(page.url()).searchParams;
    expect(Object.fromEntries(denials)).toEqual({ action: "decision.evaluate", outcome: "denied", from });
    await expect(page.getByRole("table", { name: "Audit events" })).toBeVisible();

    await page.goBack();
    await cards.getByTestId("headline-approvals").click();
    await expect(page).toHaveURL(/\/acme\/approvals$/);
    await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();

    await page.goBack();
    const open = Number(await cards.getByTestId("headline-anomalies-value").textContent());
    expect(open).toBeGreaterThan(0);
    await cards.getByTestId("headline-anomalies").click();
    await expect(page).toHaveURL(/\/acme#open-anomalies$/);
    await expect(page.getByRole("list", { name: "Open anomalies" })).toBeInViewport();
  });

  test("charts decisions and tokens as separate series with anomalies marked, the current hour drawn as partial", async ({
    page,
  }) => {
    await page.goto("/acme?range=7d");
    const chart = page.getByTestId("activity-chart");
    await expect(chart.getByRole("heading", { name: "Decisions and tokens issued per hour (UTC)" })).toBeVisible();
    const legend = chart.getByRole("list", { name: "Legend" }).first();
    await expect(legend).toContainText("Decisions");
    await expect(legend).toContainText("Tokens issued");
    await expect(legend).toContainText("This hour so far");
    await expect(chart.getByTestId("volume-summary")).toContainText(/Last 7 days: [\d,]+ decisions and [\d,]+ tokens/);
    await expect(chart.getByTestId("volume-summary")).toContainText("The last hour is still in progress.");
    await expect(chart.getByRole("figure", { name: "Denied decisions per hour (UTC)" })).toBeVisible();
    await expect(
      chart.locator('[data-testid="anomaly-marker"][data-agent="invoice-bot"][data-kind="volume_spike"]'),
    ).toHaveCount(1);
    // The tooltip names the hour; the last one says it is still filling.
    const surface = chart.locator("svg.recharts-surface").first();
    await surface.scrollIntoViewIfNeeded();
    const box = await surface.boundingBox();
    if (!box) throw new Error("no chart");
    await page.mouse.move(box.x + box.width - 18, box.y + box.height / 2);
    await expect(chart.getByText(/UTC, in progress: so far/)).toBeVisible();
    await expect(page.getByRole("list", { name: "Agents by anomaly score" })).toContainText("crm-sync");
    await page.screenshot({ path: test.info().outputPath("overview.png"), fullPage: true });
  });

  test("repeated anomalies of one agent and kind are one row, and its audit link opens exactly its window", async ({
    page,
  }) => {
    const open = await openAnomalies();
    const leaver = open.filter((a) => a.kind === "owner_departed" && a.agent.name === "onboarding-guide");
    // One a day while the leaver's agent works: the first start finds the last two or three days.
    expect(leaver.length).toBeGreaterThanOrEqual(2);
    const spike = open.find((a) => a.kind === "volume_spike" && a.agent.name === "invoice-bot");
    if (!spike) throw new Error("the demo world's invoice-bot spike is missing");

    await page.goto("/acme");
    const rows = page.getByTestId("anomaly");
    const left = rows.filter({ hasText: "Owner has left · onboarding-guide" });
    await expect(left).toHaveCount(1);
    await expect(left).toContainText(`Owner has left · onboarding-guide · ${leaver.length} days`);
    await expect(left).toHaveAttribute("data-count", String(leaver.length));

    const row = rows.filter({ hasText: "Volume spike · invoice-bot" });
    await expect(row).toContainText("1 hour");
    const link = row.getByRole("link", { name: /^Audit events of invoice-bot/ });
    await link.click();
    await expect(page).toHaveURL(/\/acme\/audit\?/);
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toEqual({
      agent: spike.agent.id,
      from: spike.window_start,
      to: spike.window_end,
    });
    const events = await adminApi(
      `/audit/events?agent=${spike.agent.id}&from=${spike.window_start}&to=${spike.window_end}&page_size=100`,
    );
    expect(events.data.length).toBeGreaterThan(0);
    const table = page.getByRole("table", { name: "Audit events" });
    await expect(table.getByRole("row")).toHaveCount(events.data.length + 1);
  });

  test("a row's other actions are in a menu that works by keyboard, with focus back where it was", async ({ page }) => {
    await page.goto("/acme");
    const row = page.getByTestId("anomaly").filter({ hasText: "New source address · support-triage" });
    await expect(row.getByRole("button", { name: "Acknowledge: New source address · support-triage" })).toBeVisible();
    const more = row.getByRole("button", { name: "More actions: New source address · support-triage" });

    await more.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu");
    await expect(menu).toBeVisible();
    await expect(menu.getByRole("menuitem")).toHaveText([
      "Dismiss…",
      "Suspend agent…",
      "Kill switch…",
      "Open the agent",
    ]);
    await expect(menu.getByRole("menuitem", { name: "Dismiss…" })).toBeFocused();
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Suspend agent…" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(more).toBeFocused();

    // Chosen by keyboard, the item's dialog opens; closing it gives focus back to the menu button.
    await page.keyboard.press("ArrowDown");
    await expect(menu.getByRole("menuitem", { name: "Dismiss…" })).toBeFocused();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Dismiss: support-triage?" });
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    await expect(more).toBeFocused();

    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await dialog.getByLabel("Reason").fill("The new office network, confirmed with the team");
    await dialog.getByRole("button", { name: "Dismiss" }).click();
    await expect(page.getByRole("status").filter({ hasText: "dismissed" })).toHaveText(
      "Anomaly dismissed: New source address · support-triage.",
    );
    await expect(row).toHaveCount(0);
    await expect(page.getByRole("list", { name: "Open anomalies" })).toBeFocused();
  });

  test("containing an anomaly suspends the agent in one click", async ({ page }) => {
    await page.goto("/acme");
    const spike = page.getByTestId("anomaly").filter({ hasText: "Denial spike · crm-sync" });
    await expect(spike).toContainText("180 denied decisions");
    await spike.getByRole("button", { name: "Suspend agent: Denial spike · crm-sync" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Reason").fill("Denied 180 times in an hour: stop it while we look");
    await dialog.getByRole("button", { name: "Suspend agent" }).click();
    await expect(page.getByRole("status").filter({ hasText: "contained" })).toHaveText(
      "crm-sync contained (suspended).",
    );
    await expect(page.getByTestId("anomaly").filter({ hasText: "Denial spike · crm-sync" })).toHaveCount(0);

    const agents = await adminApi("/agents?tenant=acme&q=crm-sync");
    expect(agents.data.find((a: { name: string }) => a.name === "crm-sync").status).toBe("suspended");
    const contained = await adminApi("/anomalies?status=contained");
    expect(contained.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "denial_spike", agent: expect.objectContaining({ name: "crm-sync" }) }),
      ]),
    );
  });
});

test.describe("as a member", () => {
  test.use({ storageState: storageState("member") });

  test("sees their own view: no agent, token or anomaly numbers", async ({ page }) => {
    await page.goto("/acme");
    const cards = page.getByRole("region", { name: "At a glance" });
    await expect(cards.getByTestId("headline-grants")).toBeVisible();
    await cards.getByTestId("headline-grants").click();
    await expect(page).toHaveURL(/\/acme\/grants$/);
    await page.goBack();
    for (const id of ["agents", "tokens", "decisions", "denials", "anomalies"]) {
      await expect(page.getByTestId(`headline-${id}`)).toHaveCount(0);
    }
    await expect(page.getByTestId("activity-chart")).toHaveCount(0);
  });
});
