import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { verifyExport } from "../../lib/audit/verify-export";
import { storageState } from "../fixtures/accounts";
import { adminApi, freshAgent, tokenFor } from "../fixtures/api";

// The audit log as an auditor uses it, in Chromium: Acme's auditor filters the log down to one
// agent's changes, opens an event at its own address, downloads CSV and NDJSON, and the files hold
// exactly the filtered events, with names beside ids (the NDJSON verifying offline against its
// signed checkpoint); and finds an agent by its name. Each test makes its own events.

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
  // Beside the ids, the tenant's slug and the target's name.
  const header = csv[0].split(",");
  expect(header.slice(3, 5)).toEqual(["tenant_id", "tenant_slug"]);
  expect(header.indexOf("target_name")).toBe(header.indexOf("target_id") + 1);
  for (const row of rows) expect(row).toContain(`,acme,`);
  for (const row of rows) expect(row).toContain(`,agent,${agent.id},${agent.name},success,`);

  const ndjson = (await download("NDJSON")).trimEnd().split("\n");
  const events = ndjson
    .slice(1)
    .map((l) => JSON.parse(l) as { id: string; action: string; target_id: string; target_name: string });
  expect(events.map((e) => e.id).sort()).toEqual(ids);
  expect(
    events.every((e) => e.action === "agent.update" && e.target_id === agent.id && e.target_name === agent.name),
  ).toBe(true);
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

test("an event opens at its own address, in a new page, with everything recorded and copy buttons", async ({
  page,
}) => {
  const agent = await freshAgent({ role: "Scheduler" });
  await adminApi(`/agents/${agent.id}`, { method: "PATCH", body: { description: 'third "quoted"' } });
  const [newest] = (await adminApi(`/audit/events?agent=${agent.id}&action=agent.update`)).data as {
    id: string;
    hash: string;
  }[];

  await page.goto(`/acme/audit?agent=${agent.id}&action=agent.update`);
  const first = page.getByRole("table", { name: "Audit events" }).getByRole("row").nth(1);
  await expect(first).toContainText(agent.name);
  await expect(first.getByRole("cell").first()).toHaveText(/ago|just now/);
  const href = await first.getByRole("link", { name: "Agent changed" }).getAttribute("href");
  expect(href).toBe(`/acme/audit/${newest.id}`);

  // Opened in a new page, as a shared link would be.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  const shared = await page.context().newPage();
  await shared.goto(href as string);
  await expect(shared.getByRole("heading", { name: "Agent changed" })).toBeVisible();
  await expect(shared.getByRole("table", { name: "What changed" })).toContainText('third \\"quoted\\"');
  // Inside the console (its navigation), with the target by name and by id.
  await expect(shared.getByRole("link", { name: "Audit", exact: true })).toBeVisible();
  await expect(shared.getByRole("link", { name: agent.name })).toHaveAttribute("href", `/acme/agents/${agent.id}`);
  await expect(shared.getByText(agent.id, { exact: true })).toBeVisible();
  await shared.getByRole("button", { name: "Copy the hash" }).click();
  expect(await shared.evaluate(() => navigator.clipboard.readText())).toBe(newest.hash);
  await shared.screenshot({ path: test.info().outputPath("audit-event.png"), fullPage: true });
  // Under a tenant the auditor does not read, the same event is not there.
  expect((await shared.goto(`/globex/audit/${newest.id}`))?.status()).toBe(404);
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

test("an auditor finds an agent's events by its hyphenated name, one line each", async ({ page }) => {
  const agent = await freshAgent({ role: "Scheduler", name: `expense-reporter-${randomBytes(3).toString("hex")}` });
  await adminApi(`/agents/${agent.id}`, { method: "PATCH", body: { description: "Files expense reports" } });
  // An event by the agent: its token, recorded under its client id (not its name).
  await tokenFor(agent.id, agent.secret);

  await page.goto("/acme/audit");
  await page.getByRole("searchbox").fill(agent.name);
  await expect(page).toHaveURL(new RegExp(`q=${agent.name}`));
  const table = page.getByRole("table", { name: "Audit events" });
  const rows = table.getByRole("row").filter({ hasNot: page.getByRole("columnheader") });
  // Registered, activated, given a role, changed (about it); its token (by it).
  await expect(rows).toHaveCount(5);
  await expect(rows.filter({ hasText: "Access token issued" })).toContainText(agent.name);
  await expect(rows.filter({ hasText: "Agent changed" })).toContainText(agent.name);
  // One line per event: every row as high as one line of text (plus its padding).
  const heights = await rows.evaluateAll((trs) => trs.map((tr) => tr.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThan(48);
  // The exact time is there on hover.
  await expect(rows.first().locator("time")).toHaveAttribute("title", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  await page.screenshot({ path: test.info().outputPath("audit-search.png"), fullPage: true });

  // A part of the name finds the same; a name that is nobody's finds nothing.
  await page.getByRole("searchbox").fill(agent.name.slice(0, 20));
  await expect(page).toHaveURL(new RegExp(`q=${agent.name.slice(0, 20)}`));
  await expect(rows.filter({ hasText: agent.name })).toHaveCount(5);
  await page.getByRole("searchbox").fill(`${agent.name}-nobody`);
  await expect(page.getByText("Nothing matches these filters.")).toBeVisible();
});
