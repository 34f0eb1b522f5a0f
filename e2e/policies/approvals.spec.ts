import { randomInt } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { BASE_URL } from "../../playwright.config";
import { storageState } from "../fixtures/accounts";
import { adminApi, tokenFor } from "../fixtures/api";

// Approvals: the demo world's invoice-bot (Acme, role "Payments bot") has a 4,800 EUR payment
// waiting for a person; Acme's tenant owner answers it in the console, and the agent's next
// decision (POST /api/v1/decisions with its own token) says what the answer was.

const SEEDED = {
  action: "payments.create",
  resource: { type: "Payment", id: "INV-2026-0419", attributes: { supplier: "Northwind Traders" } },
  context: { amount: 4800, currency: "EUR" },
};

/**
 * invoice-bot with a fresh client secret and a token for payments.create, as the agent would
 * hold them; `done` revokes the secret (an agent holds at most five live credentials).
 */
async function invoiceBot() {
  const list = await adminApi("/agents?tenant=acme&q=invoice-bot");
  const id = (list.data as { id: string; name: string }[]).find((a) => a.name === "invoice-bot")?.id;
  expect(id, "the demo world's invoice-bot").toBeTruthy();
  const credential = await adminApi(`/agents/${id}/credentials`, {
    method: "POST",
    body: { type: "client_secret", label: "approvals e2e" },
  });
  const token = await tokenFor(id as string, credential.client_secret, "payments.create");
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${BASE_URL}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}`).toBe(200);
    return response.json();
  };
  return {
    check: (body: unknown) => call("POST", "/decisions", body),
    approval: (approvalId: string) => call("GET", `/approvals/${approvalId}`),
    done: () =>
      adminApi(`/agents/${id}/credentials/${credential.id}`, { method: "DELETE", body: { reason: "e2e finished" } }),
  };
}

/** A payment of its own for each test, so tests running in parallel never answer each other's. */
function newPayment() {
  return {
    action: "payments.create",
    resource: { type: "Payment", id: `INV-E2E-${randomInt(1e6, 1e7)}`, attributes: { supplier: "Contoso" } },
    context: { amount: randomInt(1001, 99_999), currency: "EUR" },
  };
}

const card = (page: Page, resourceId: string) => page.getByTestId("approval-request").filter({ hasText: resourceId });

test.describe("as Acme's tenant owner", () => {
  test.use({ storageState: storageState("owner") });

  test("approves the waiting payment in one click; the agent is allowed once", async ({ page }) => {
    await page.goto("/acme/approvals");
    await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
    const request = card(page, "INV-2026-0419");
    await expect(request).toBeVisible();
    await expect(request.getByText("invoice-bot")).toBeVisible();
    await expect(request.getByText("payments.create")).toBeVisible();
    await expect(request.getByTestId("approval-amount")).toHaveText("4,800 EUR");
    await expect(request.getByText("Northwind Traders")).toBeVisible();
    await expect(request.getByText("Payments over 1,000 need approval")).toBeVisible();
    await expect(request.getByText("No one: the agent acts on its own")).toBeVisible();
    await expect(request.getByText(/Requested (just now|\d+ \w+ ago)/)).toBeVisible();
    await expect(request.getByText(/Expires in 2[34] hours/)).toBeVisible();
    await page.screenshot({ path: "/tmp/approvals-pending.png", fullPage: true });

    await request.getByRole("button", { name: "Approve" }).click();
    await expect(page.getByRole("status")).toContainText("Approved invoice-bot's payments.create");
    await expect(request).toHaveCount(0);
    await page.screenshot({ path: "/tmp/approvals-approved.png", fullPage: true });

    await page.getByRole("link", { name: "Decided" }).click();
    await expect(page).toHaveURL(/\/acme\/approvals\?tab=decided$/);
    const decided = page.getByTestId("decided-request").filter({ hasText: "INV-2026-0419" });
    await expect(decided).toContainText("Approved");
    await expect(decided).toContainText("owner@acme.example");
    await expect(decided).toContainText("Not used yet");

    // The agent's side: the same request is allowed, once.
    const agent = await invoiceBot();
    try {
      const allowed = await agent.check(SEEDED);
      expect(allowed).toMatchObject({ decision: "allow", policies: ["Payments over 1,000 need approval"] });
      expect(allowed.reason).toMatch(/Approved by owner@acme\.example; allowed once/);
      const again = await agent.check(SEEDED);
      expect(again).toMatchObject({ decision: "needs_approval", approval_id: expect.any(String) });
    } finally {
      await agent.done();
    }
    await page.reload();
    await expect(decided).toContainText("Used by the agent");
    await page.screenshot({ path: "/tmp/approvals-decided.png", fullPage: true });
  });

  test("denies a payment the agent asked for, with a note; the agent's poll says denied", async ({ page }) => {
    const agent = await invoiceBot();
    try {
      const payment = newPayment();
      const asked = await agent.check(payment);
      expect(asked).toMatchObject({ decision: "needs_approval", approval_id: expect.any(String) });
      expect(await agent.approval(asked.approval_id)).toMatchObject({ status: "pending" });

      await page.goto("/acme/approvals");
      const request = card(page, payment.resource.id);
      await expect(request.getByTestId("approval-amount")).toHaveText(
        `${payment.context.amount.toLocaleString("en")} EUR`,
      );
      await request.getByRole("textbox", { name: "Note (optional)" }).fill("Contoso is not an approved supplier");
      await request.getByRole("button", { name: "Deny" }).click();
      await expect(page.getByRole("status")).toContainText(`Denied invoice-bot's payments.create on Payment`);
      await expect(request).toHaveCount(0);

      expect(await agent.approval(asked.approval_id)).toMatchObject({
        status: "denied",
        decided_by: "owner@acme.example",
        decision_note: "Contoso is not an approved supplier",
      });
      // A denial allows nothing: asking again opens a new request.
      const retry = await agent.check(payment);
      expect(retry.decision).toBe("needs_approval");
      expect(retry.approval_id).not.toBe(asked.approval_id);

      await page.goto("/acme/approvals?tab=decided");
      const decided = page.getByTestId("decided-request").filter({ hasText: payment.resource.id });
      await expect(decided).toContainText("Denied");
      await expect(decided).toContainText("Contoso is not an approved supplier");
      await page.screenshot({ path: "/tmp/approvals-denied.png", fullPage: true });
    } finally {
      await agent.done();
    }
  });
});

test.describe("as Acme's auditor", () => {
  test.use({ storageState: storageState("tenantAuditor") });

  test("reads the requests but gets no Approve or Deny (auditors read, never decide)", async ({ page }) => {
    const agent = await invoiceBot();
    try {
      const payment = newPayment();
      expect((await agent.check(payment)).decision).toBe("needs_approval");
      await page.goto("/acme/approvals");
      const request = card(page, payment.resource.id);
      await expect(request).toBeVisible();
      await expect(request.getByText(/Only the agent's owner, a tenant owner or a security admin/)).toBeVisible();
      await expect(request.getByRole("button")).toHaveCount(0);
      await page.screenshot({ path: "/tmp/approvals-auditor.png", fullPage: true });
    } finally {
      await agent.done();
    }
  });
});

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("sees every pending request of the tenant, with their count beside Approvals, and answers one", async ({
    page,
  }) => {
    const agent = await invoiceBot();
    try {
      const payment = newPayment();
      const asked = await agent.check(payment);
      expect(asked.decision).toBe("needs_approval");
      await page.goto("/acme/approvals");
      const badge = page.getByTestId("nav-badge-approvals").first(); // the sidebar's (the phone menu has its own)
      await expect(badge).toHaveText(/^[1-9]\d* pending$/);
      const request = card(page, payment.resource.id);
      await request.getByRole("button", { name: "Approve" }).click();
      await expect(page.getByRole("status")).toContainText("Approved invoice-bot's payments.create");
      expect(await agent.approval(asked.approval_id)).toMatchObject({
        status: "approved",
        decided_by: "admin@example.com",
      });
    } finally {
      await agent.done();
    }
  });

  test("a tenant without requests shows empty states on both tabs", async ({ page }) => {
    // The demo world seeds no approval requests in Initech, and no test opens one there.
    await page.goto("/initech/approvals");
    await expect(page.getByRole("heading", { name: "Nothing is waiting for approval" })).toBeVisible();
    await page.screenshot({ path: "/tmp/approvals-empty.png", fullPage: true });
    await page.getByRole("link", { name: "Decided" }).click();
    await expect(page.getByRole("heading", { name: "No answered requests yet" })).toBeVisible();
  });
});

test.describe("as Acme's member", () => {
  test.use({ storageState: storageState("member") });

  test("sees the page for the agents they own only, and 403 where they own none", async ({ page }) => {
    // Jordan owns Acme's contract-reviewer: the page opens, without other agents' requests.
    const response = await page.goto("/acme/approvals");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
    await expect(page.getByText("INV-2026-0419")).toHaveCount(0);
    // In Globex Jordan owns nothing: members hold no approvals.read.
    const globex = await page.goto("/globex/approvals");
    expect(globex?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: /403/ })).toBeVisible();
  });
});
