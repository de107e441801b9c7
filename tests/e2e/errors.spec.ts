import { expect, test } from "@playwright/test";

test.describe("failure behaviour", () => {
  test("an unknown page shows the friendly 404 page in the viewer's language", async ({ browser }) => {
    for (const [locale, heading] of [
      ["en-US", "Page not found"],
      ["zh-CN", "页面不存在"],
    ] as const) {
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      const res = await page.goto("/no/such/page");
      expect(res?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: heading })).toBeVisible();
      await context.close();
    }
  });

  test("API errors are JSON { error: { code, message } } with no internals", async ({ request }) => {
    const res = await request.get("/api/no-such-endpoint");
    expect(res.status()).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No such API endpoint." } });
    const health = await request.get("/api/health");
    expect(await health.json()).toEqual({ status: "ok" });
  });
});
