import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

// Every console page carries a Content-Security-Policy whose nonce its own scripts carry (so the
// page runs, and an injected script would not), and the framing and sniffing headers.

test.describe("as a security admin", () => {
  test.use({ storageState: storageState("admin") });

  test("console pages carry a nonce-based policy that their scripts follow, and run without a violation", async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/.test(m.text())) violations.push(m.text());
    });
    for (const path of [
      "/acme",
      "/acme/agents",
      "/acme/people",
      "/acme/audit",
      "/acme/policies/new",
      "/no-such-page",
    ]) {
      const response = await page.goto(path);
      const csp = (await response?.headerValue("content-security-policy")) ?? "";
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(await response?.headerValue("x-content-type-options"), path).toBe("nosniff");
      expect(await response?.headerValue("x-frame-options"), path).toBe("DENY");
      // Every script the server wrote carries this response's nonce (scripts those load later are
      // trusted through 'strict-dynamic' and need none).
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      const tags = ((await response?.text()) ?? "").match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length, path).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    // The page is alive (React hydrated): a client-side control responds.
    await page.goto("/acme/people");
    await page.getByRole("button", { name: "Invite people" }).click();
    await expect(page.getByRole("dialog")).toBeVisible();
    expect(violations).toEqual([]);
  });

  test("a script injected without the nonce does not run", async ({ page }) => {
    await page.goto("/acme");
    const ran = await page.evaluate(async () => {
      (window as unknown as { injected?: boolean }).injected = false;
      // Markup an attacker might get into a page: inline handlers need the nonce too.
      const holder = document.createElement("div");
      holder.innerHTML = '<img src="x" onerror="window.injected = true">';
      document.body.appendChild(holder);
      await new Promise((r) => setTimeout(r, 300));
      return (window as unknown as { injected?: boolean }).injected;
    });
    expect(ran).toBe(false);
  });
});

test("the sign-in page and the authorization server's error page carry their headers", async ({ page, request }) => {
  const signIn = await page.goto("/sign-in");
  expect(await signIn?.headerValue("content-security-policy")).toContain("'strict-dynamic'");
  const error = await request.get("/oauth/authorize?client_id=nobody&response_type=code");
  expect(error.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(error.headers()["x-frame-options"]).toBe("DENY");
  const invite = await request.get(`/invite/${"A".repeat(43)}`);
  expect(invite.headers()["referrer-policy"]).toBe("no-referrer");
});
