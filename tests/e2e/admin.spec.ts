import { expect, test } from "@playwright/test";
import { ADMIN, SUBSCRIBER, expectAccessible, signIn } from "./helpers";

test.describe("admin area", () => {
  test("a subscriber gets 404 at /admin and never sees admin data", async ({ page }) => {
    await signIn(page, SUBSCRIBER);
    for (const path of ["/admin", "/admin/dev/clock"]) {
      const res = await page.goto(path);
      expect(res?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByText("admin@codeplan.local")).toHaveCount(0);
    }
    await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  });

  test("a visitor who is not signed in gets 404 at /admin too", async ({ page }) => {
    const res = await page.goto("/admin");
    expect(res?.status()).toBe(404);
  });

  test("the demo admin reaches /admin, sees customers and the audit log @phone", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.getByRole("link", { name: "Admin" }).click();
    await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
    // The newest customers are listed (the journeys before this one sign many up); the search finds any other.
    await expect(
      page.getByRole("region", { name: "Customers" }).getByRole("cell", { name: /@/ }).first(),
    ).toBeVisible();
    await page.getByRole("link", { name: "Search all customers" }).click();
    await page.waitForURL("**/admin/customers");
    await page.goto("/admin/customers?q=alice");
    await expect(page.getByText("alice@example.com").first()).toBeVisible();
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await expect(page.getByText("auth.sign_in").first()).toBeVisible();
    await expectAccessible(page);
  });
});
