import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { freshAgent, tokenFor } from "../fixtures/api";
import { isActive } from "../fixtures/consent";

// A delegation chain (RFC 8693) built over HTTP as agents build it: a client-credentials token,
// exchanged twice, narrowing each time. The console shows the three hops from the first agent's
// tokens tab, states what revoking the middle one takes with it, and after the revocation the
// authorization server calls the token below inactive and the origin still live.

const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS = "urn:ietf:params:oauth:token-type:access_token";

type Agent = Awaited<ReturnType<typeof freshAgent>>;

/** The open dialogs' serious and critical axe-core findings (WCAG 2.1 A and AA), by rule. */
async function dialogViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .include("dialog[open]")
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

async function exchange(base: string, actor: Agent, subjectToken: string, scope: string) {
  const response = await fetch(`${base}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${actor.id}:${actor.secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: EXCHANGE, subject_token: subjectToken, subject_token_type: ACCESS, scope }),
  });
  const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.scope).toBe(scope);
  return String(answer.body.access_token);
}

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("sees a three-hop chain, revokes the middle node after its impact is stated, and the hop below dies", async ({
    page,
    baseURL,
  }) => {
    const base = baseURL ?? "";
    const planner = await freshAgent({ role: "Email assistant" });
    const reader = await freshAgent({ role: "Reader" });
    const scheduler = await freshAgent({ role: "Scheduler" });
    const origin = await tokenFor(planner.id, planner.secret, "email.read email.send contacts.read");
    const hop1 = await exchange(base, reader, origin, "email.read contacts.read");
    const hop2 = await exchange(base, scheduler, hop1, "contacts.read");

    await page.goto(`/acme/agents/${planner.id}/tokens`);
    const row = page.getByRole("region", { name: /Live tokens/ }).getByTestId("token-row");
    await expect(row).toHaveCount(1);
    await row.getByRole("button", { name: "Chain" }).click();

    const chain = page.getByRole("dialog", { name: "Delegation chain" });
    const nodes = chain.getByTestId("chain-node");
    await expect(nodes).toHaveCount(3);
    await expect(nodes.nth(0)).toContainText(planner.name);
    await expect(nodes.nth(0)).toContainText("Origin");
    await expect(nodes.nth(1)).toContainText(reader.name);
    await expect(nodes.nth(2)).toContainText(scheduler.name);
    // Narrowing is visible: what a hop dropped is struck through beside what it kept.
    await expect(nodes.nth(1).locator("del")).toHaveText(/email\.send/);
    await expect(nodes.nth(2).locator("del")).toHaveText([/email\.read/]);
    for (const i of [0, 1, 2]) await expect(nodes.nth(i)).toContainText("Live");
    expect(await dialogViolations(page)).toEqual([]);
    await chain.screenshot({ path: "/tmp/delegation-chain.png" });
    await page.emulateMedia({ colorScheme: "dark" });
    await chain.screenshot({ path: "/tmp/delegation-chain-dark.png" });
    await page.emulateMedia({ colorScheme: "light" });

    await nodes
      .nth(1)
      .getByRole("button", { name: /^Revoke/ })
      .click();
    const confirm = page.getByRole("dialog", { name: `Revoke ${reader.name}'s token?` });
    await expect(confirm.getByTestId("revocation-impact")).toHaveText(
      "Revokes this token and 1 token exchanged from it.",
    );
    await confirm.screenshot({ path: "/tmp/delegation-chain-revoke.png" });
    expect(await dialogViolations(page)).toEqual([]);
    await confirm.getByLabel("Reason").fill("Reader agent compromised");
    await confirm.getByRole("button", { name: "Revoke token" }).click();
    await expect(confirm).toBeHidden();

    // The chain reloads: the middle node and the one below revoked, the origin live.
    await expect(nodes.nth(1)).toContainText("Revoked: Reader agent compromised");
    await expect(nodes.nth(2)).toContainText("Revoked");
    await expect(nodes.nth(0)).toContainText("Live");
    await expect(nodes.nth(0).getByRole("button", { name: /^Revoke/ })).toBeVisible();

    expect(await isActive(scheduler, hop2, base)).toBe(false);
    expect(await isActive(reader, hop1, base)).toBe(false);
    expect(await isActive(planner, origin, base)).toBe(true);
  });
});
