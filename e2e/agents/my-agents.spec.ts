import { expect, test } from "@playwright/test";
import { storageState } from "../fixtures/accounts";

test.describe("as a member who owns an agent", () => {
  test.use({ storageState: storageState("member") });

  test("sees its review coming on Overview and renews it in one click", async ({ page }) => {
    await page.goto("/acme");
    const row = page.getByTestId("my-agent").filter({ hasText: "contract-reviewer" });
    await expect(row).toContainText("Review due");
    const before = await row.textContent();
    await row.getByRole("button", { name: "Renew review" }).click();
    await expect(row.getByRole("button", { name: "Renew review" })).toHaveCount(0);
    await expect(row).not.toContainText("Review due");
    expect(await row.textContent()).not.toEqual(before);
    // A member still cannot open the registry itself.
    expect((await page.goto("/acme/agents"))?.status()).toBe(403);
  });
});
