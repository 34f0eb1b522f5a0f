import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";

// The demo world's recorded traffic carries anomalies, found at first start. Acme's owner sees the
// usage chart with its anomaly markers, and contains crm-sync's denial spike in one click: the
// agent is suspended.

test.use({ storageState: storageState("owner") });

test("the overview charts usage with anomaly markers, and containing an anomaly suspends the agent", async ({
  page,
}) => {
  await page.goto("/acme?range=7d");
  const chart = page.getByTestId("activity-chart");
  await expect(chart).toBeVisible();
  await expect(chart.getByTestId("anomaly-marker").first()).toBeVisible();
  await expect(
    chart.locator('[data-testid="anomaly-marker"][data-agent="invoice-bot"][data-kind="volume_spike"]'),
  ).toHaveCount(1);
  await expect(page.getByRole("list", { name: "Agents by anomaly score" })).toContainText("crm-sync");
  await page.screenshot({ path: test.info().outputPath("overview.png"), fullPage: true });

  const spike = page.getByTestId("anomaly").filter({ hasText: "Denial spike · crm-sync" });
  await expect(spike).toContainText("180 denied decisions");
  await spike.getByRole("button", { name: "Contain: suspend" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Reason").fill("Denied 180 times in an hour: stop it while we look");
  await dialog.getByRole("button", { name: "Suspend the agent" }).click();
  await expect(page.getByRole("status")).toHaveText("crm-sync contained (suspended).");
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
