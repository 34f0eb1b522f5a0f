import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";
import { adminApi } from "../fixtures/api";

const SECTIONS = [
  "",
  "/agents",
  "/grants",
  "/people",
  "/people/invitations",
  "/policies",
  "/approvals",
  "/audit",
  "/tenants",
  "/settings",
  "/settings/automation",
];

test.describe("a tenant owner of Acme", () => {
  test.use({ storageState: storageState("owner") });

  for (const section of SECTIONS) {
    test(`gets nothing of Globex at /globex${section}`, async ({ page }) => {
      const response = await page.goto(`/globex${section}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
      const body = (await page.locator("body").textContent()) ?? "";
      expect(body).not.toMatch(/Globex|Hank Scorpio|owner@globex/);
    });
  }

  test("gets the same answer for a tenant that does not exist and a malformed one", async ({ page }) => {
    for (const path of ["/no-such-tenant", "/NO_SUCH", "/globex/../globex/settings", "/x%00y"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByText("There is nothing at this address, or you do not have access to it.")).toBeVisible();
    }
  });

  test("gets a 404 for a person of another tenant, by id or email, under its own tenant's address", async ({
    page,
  }) => {
    const globexOwner = (await adminApi("/users/owner@globex.example")) as { id: string };
    for (const ref of [globexOwner.id, "owner@globex.example", "00000000-0000-4000-8000-000000000000", "junk"]) {
      const response = await page.goto(`/acme/people/${encodeURIComponent(ref)}`);
      expect(response?.status(), ref).toBe(404);
      expect((await page.locator("body").textContent()) ?? "").not.toMatch(/Hank Scorpio|owner@globex/);
    }
  });

  test("does not see other tenants in the switcher or the page source", async ({ page }) => {
    await page.goto("/acme");
    const html = await page.content();
    expect(html).not.toMatch(/Globex|Initech/);
  });
});

test.describe("without a session", () => {
  for (const path of ["/", "/acme", "/acme/agents", "/acme/settings", "/globex/audit", "/no-such-tenant"]) {
    test(`${path} redirects to sign-in`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
      await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    });
  }

  test("the admin API answers 401 JSON to every call without a bearer token, whatever the cookie", async ({
    request,
  }) => {
    for (const [method, path] of [
      ["GET", "/api/v1/agents?tenant=acme"],
      ["POST", "/api/v1/agents"],
      ["GET", "/api/v1/tokens"],
      ["DELETE", "/api/v1/tokens/00000000-0000-4000-8000-000000000000"],
      ["POST", "/api/v1/scopes"],
    ] as const) {
      const response = await request.fetch(path, { method, data: method === "GET" ? undefined : {} });
      expect(response.status(), `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ error: "invalid_token" });
    }
    const unknown = await request.get("/api/v1/no-such-thing");
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "not_found" });
    const spec = await request.get("/api/v1/openapi.json");
    expect(spec.status()).toBe(200);
    expect((await spec.json()).paths["/agents"]).toBeDefined();
  });

  // Regression: Next answered a server action posted from another site with a 500.
  test("a console action posted from another site is refused with 403, with or without a session", async ({
    request,
    browser,
  }) => {
    const owner = await browser.newContext({ storageState: storageState("owner") });
    for (const client of [request, owner.request]) {
      for (const origin of ["https://evil.example.com", "null", "http://localhost:1"]) {
        const response = await client.post("/acme/agents", {
          headers: { "next-action": "0".repeat(42), origin, "content-type": "text/plain;charset=UTF-8" },
          data: "[]",
        });
        expect(response.status(), origin).toBe(403);
        expect(await response.json()).toMatchObject({ error: "forbidden" });
      }
    }
    await owner.close();
  });

  test("the health check answers without a session", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });
});
