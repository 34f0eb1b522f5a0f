import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { verifyExport } from "../../lib/audit/verify-export";
import { storageState } from "../fixtures/accounts";
import { adminApi, freshAgent } from "../fixtures/api";

// The audit log as an auditor uses it, in Chromium: Acme's auditor filters the log down to one
// agent's changes, downloads CSV and NDJSON, and the files hold exactly the filtered events (the
// NDJSON verifying offline against its signed checkpoint). Each test makes its own events.

test.use({ storageState: storageState("tenantAuditor") });

test("an auditor filters the log and downloads exactly the filtered events as CSV and NDJSON", async ({ page }) => {
  const agent = await freshAgent({ role: "Scheduler" });
  for (const description of ["first", "second, with a comma", 'third "quoted"']) {
    await adminApi(`/agents/${agent.id}`, { method: "PATCH", body: { description } });
  }
  // Another agent's change of the same kind, which the filters must leave out.
  const bystander = await freshAgent({ role: "Scheduler" });
  await adminApi(`/agents/${bystander.id}`, { method: "PATCH", body: { description: "not this one" } });
  const expected = await adminApi(`/audit/events?agent=${agent.id}&action=agent.update&page_size=100`);
  expect(expected.data).toHaveLength(3);

  await page.goto("/acme/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByRole("combobox", { name: "Agent", exact: true }).selectOption({ label: agent.name });
  // Chosen one right after the other: the second must not erase the first.
  await page.getByRole("combobox", { name: "Action", exact: true }).selectOption("agent.update");
  await expect(page).toHaveURL(
    new RegExp(`agent=${agent.id}.*action=agent.update|action=agent.update.*agent=${agent.id}`),
  );
  const table = page.getByRole("table", { name: "Audit events" });
  await expect(table.getByRole("row")).toHaveCount(4); // header + 3
  await expect(page.getByText("3 shown of 3")).toBeVisible();

  // The drawer shows what changed.
  await table.getByRole("button").first().click();
  const drawer = page.getByRole("dialog");
  await expect(drawer.getByRole("heading", { name: "Agent changed" })).toBeVisible();
  await expect(drawer.getByRole("table", { name: "What changed" })).toContainText('third \\"quoted\\"');
  await page.screenshot({ path: test.info().outputPath("audit-drawer.png"), fullPage: true });
  await drawer.getByRole("button", { name: "Close" }).click();

  const download = async (name: string) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
    return readFile((await file.path()) as string, "utf8");
  };
  const ids = (expected.data as { id: string }[]).map((e) => e.id).sort();

  const csv = (await download("CSV")).trimEnd().split("\n");
  expect(csv[0].split(",").slice(0, 3)).toEqual(["id", "seq", "occurred_at"]);
  // Three events, one line each (the descriptions' commas and quotes are quoted, not split).
  const rows = csv.slice(1);
  expect(rows).toHaveLength(3);
  expect(rows.map((r) => r.split(",")[0]).sort()).toEqual(ids);

  const ndjson = (await download("NDJSON")).trimEnd().split("\n");
  const events = ndjson.slice(1).map((l) => JSON.parse(l) as { id: string; action: string; target_id: string });
  expect(events.map((e) => e.id).sort()).toEqual(ids);
  expect(events.every((e) => e.action === "agent.update" && e.target_id === agent.id)).toBe(true);
  const lines = async function* () {
    yield* ndjson;
  };
  expect(await verifyExport(lines())).toMatchObject({ ok: true, events: 3, checkpoint: "valid" });

  // The downloads are on record, with the request they came from.
  const exports = await adminApi("/audit/events?action=audit.export&page_size=100");
  const mine = (
    exports.data as {
      actor: { label: string };
      data: { format: string; filters: { agent?: string } };
      request_id: string;
      ip: string;
    }[]
  ).filter((e) => e.data.filters.agent === agent.id);
  expect(mine.map((e) => e.data.format).sort()).toEqual(["csv", "ndjson"]);
  expect(mine[0]).toMatchObject({
    actor: { label: "auditor@acme.example" },
    request_id: expect.any(String),
    ip: expect.any(String),
  });
});

test("an auditor changes nothing: no write controls, and the chain's verification is for global readers", async ({
  page,
}) => {
  await page.goto("/acme/agents");
  await expect(page.getByRole("link", { name: "Register agent" })).toHaveCount(0);
  await page.goto("/acme/audit");
  await expect(page.getByRole("link", { name: "CSV" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Verify the chain" })).toHaveCount(0);
});
