import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoPageOverflow } from "./helpers";

// A viewer zone far from UTC+8: the peak hours (14:00–18:00 in Shanghai) read 07:00–11:00 in Berlin in winter, 08:00–12:00 in summer.
test.use({ timezoneId: "Europe/Berlin" });

test.describe("front page and pricing", () => {
  test("PLAN-1: the front page says the plan in a few lines and leads to pricing, which shows models, peak hours in the viewer's zone, concurrency, savings, stock and both discounts @phone", async ({
    page,
  }) => {
    await page.goto("/");
    const points = page.getByTestId("home-points");
    await expect(points).toContainText(
      "Three plans — Lite, Pro and Max — from $6.00 a month: 80, 400 or 1,600 prompts every 5 hours.",
    );
    await expect(points).toContainText("GLM-5 on Pro and Max (one prompt counts 3 at peak, 2 off-peak)");
    await expect(points).toContainText(
      "Your first subscription is 50% off, and a friend's invitation takes a further 10% off.",
    );
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    await page.getByRole("link", { name: "See plans and prices" }).click();
    await expect(page.getByRole("heading", { name: "Plans and pricing", level: 1 })).toBeVisible();
    await expect(page.getByTestId("models-lite")).not.toContainText("GLM-5");
    await expect(page.getByTestId("models-pro")).toContainText(
      /GLM-5 — one prompt counts 3 at peak \(\d{1,2}:00\s?[AP]M–\d{1,2}:00\s?[AP]M\), 2 off-peak/,
    );
    // Re-rendered in the viewer's zone once the browser has told it (components/time-zone-cookie.tsx).
    await expect(page.getByTestId("peak-hours")).toHaveText(
      /^Peak hours today: (7:00\sAM–11:00\sAM|8:00\sAM–12:00\sPM) \(your time\)\.$/,
    );
    await expect(page.getByTestId("referral-discount")).toContainText("a further 10% off");
    await expect(page.getByRole("region", { name: "Pro" })).toContainText(/\d+ requests at a time/);
    await expect(page.getByRole("region", { name: "Pro" })).toContainText(/save \d+%/);
    await expect(page.getByTestId("stock-pro")).toContainText("left today");
    await expectAccessible(page);
    await expectNoPageOverflow(page);
  });

  test.describe("in Chinese", () => {
    test.use({ locale: "zh-CN" });
    test("PLAN-1: 首页与价格页的中文版本，含模型、高峰时段、并发、折扣 @phone", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByTestId("home-points")).toContainText(
        "GLM-5 仅限 Pro 和 Max（高峰时段每次 prompt 计 3 次，非高峰计 2 次）",
      );
      await expect(page.getByTestId("home-points")).toContainText("首次订阅立减 50%，通过好友邀请再减 10%。");
      await expectAccessible(page);
      await page.getByRole("link", { name: "查看套餐与价格" }).click();
      await expect(page.getByTestId("peak-hours")).toHaveText(
        /^今日高峰时段：(07:00–11:00|08:00–12:00)（你的当地时间）。$/,
      );
      await expect(page.getByTestId("models-max")).toContainText("GLM-5");
      await expect(page.getByTestId("referral-discount")).toContainText("再享 10% 优惠");
      await expectAccessible(page);
      await expectNoPageOverflow(page);
    });
  });
});
