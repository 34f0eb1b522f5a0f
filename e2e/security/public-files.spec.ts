import { expect, test } from "@playwright/test";

// The icons, the logo and the manifest are fetched by browsers that may have no session (a
// favicon, the sign-in page's logo, the authorization server's pages): they are served to anyone,
// with a day's caching, while every console page still sends a signed-out visitor to sign in.

test.use({ storageState: { cookies: [], origins: [] } });

const FILES: [string, RegExp][] = [
  ["/favicon.ico", /^image\/(x-icon|vnd\.microsoft\.icon)$/],
  ["/logo.svg", /^image\/svg\+xml/],
  ["/icon.svg", /^image\/svg\+xml/],
  ["/manifest.webmanifest", /^application\/manifest\+json/],
  ["/icon-192.png", /^image\/png$/],
  ["/icon-512.png", /^image\/png$/],
  ["/apple-touch-icon.png", /^image\/png$/],
];

test("the icons, logo and manifest are served to a signed-out browser, cached for a day", async ({ page }) => {
  for (const [path, type] of FILES) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    expect(new URL(response?.url() ?? "").pathname, path).toBe(path);
    expect(await response?.headerValue("content-type"), path).toMatch(type);
    expect(await response?.headerValue("cache-control"), path).toBe("public, max-age=86400");
    expect(await response?.headerValue("x-content-type-options"), path).toBe("nosniff");
  }
  const manifest = await (await page.request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ name: "Mandate", theme_color: "#4f46e5" });
});

test("the sign-in page links the icons and shows the logo", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  const logo = page.locator('img[src="/logo.svg"]');
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
});

test("console pages are not among them: a signed-out visitor is sent to sign in", async ({ page }) => {
  for (const path of ["/", "/acme", "/acme/agents", "/logo.svgx", "/favicon.ico/acme"]) {
    await page.goto(path);
    await expect(page, path).toHaveURL(/\/sign-in(\?|$)/);
  }
});
