import { expect, test } from "@playwright/test";
import { expectAccessible, expectNoPageOverflow } from "./helpers";
import { createKeyOnPage, newLiteSubscriber, shownResetTime, spend } from "./quota-helpers";

// A viewer zone that is neither UTC nor UTC+8, so the screen's times are the viewer's own.
const ZONE = "America/New_York";
test.use({ timezoneId: ZONE });

const HOUR = 3_600_000;
/** On the phone project, the narrowest common phone (375 px) rather than the device's own width. */
async function narrowOnPhone(page: import("@playwright/test").Page) {
  if ((page.viewportSize()?.width ?? 1000) < 600) await page.setViewportSize({ width: 375, height: 812 });
}

const codes = (ds: Awaited<ReturnType<typeof spend>>["decisions"]) =>
  ds.map((d) => (d.allowed ? "allowed" : d.refusal.code));

test.describe("Per-key limits, key purposes and the forecast", () => {
  test("KEY-1, QUOTA-9: a subscriber gives a key its own 5-hour limit (a bad value is refused and changes nothing), hits it with the plan's code and the key's reset time, and sees the key's use; a pay-as-you-go key spends no plan quota; in English and Chinese @phone", async ({
    page,
    browser,
    request,
  }) => {
    test.setTimeout(150_000);
    await narrowOnPhone(page);
    await newLiteSubscriber(page, browser, "keylimit");
    const secret = await createKeyOnPage(page, "ci box");
    const row = page.getByTestId("key-row").filter({ hasText: "ci box" });
    await expect(row.getByTestId("key-purpose")).toHaveText("Coding plan");
    await expect(row.getByTestId("key-limit-5h")).toHaveText("no limit of its own");
    await expect(row.getByTestId("key-expires")).toHaveText("never");

    // A bad value: a localized error by the field, and nothing stored.
    await row.getByText("Limits and expiry").click();
    await row.getByLabel("Prompts per 5 hours").fill("0");
    await row.getByRole("button", { name: "Save limits" }).click();
    await expect(row.getByText("Enter a whole number from 1 to 1,000,000, or leave it empty.")).toBeVisible();
    await expect(row.getByLabel("Prompts per 5 hours")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);
    await page.reload();
    await expect(row.getByTestId("key-limit-5h")).toHaveText("no limit of its own");

    await row.getByText("Limits and expiry").click();
    await row.getByLabel("Prompts per 5 hours").fill("3");
    await row.getByRole("button", { name: "Save limits" }).click();
    await expect(row.getByText("Saved. The key's limits hold from its next request.")).toBeVisible();
    await expect(row.getByTestId("key-limit-5h")).toHaveText("3");
    await expectNoPageOverflow(page);
    await expectAccessible(page);

    // Three prompts pass; the fourth is refused with the plan's 5-hour code and the key's reset time.
    const { at, decisions } = await spend(secret, [["prompt", 4]]);
    expect(codes(decisions)).toEqual(["allowed", "allowed", "allowed", "five_hour"]);
    const call = await request.post("/api/coding/paas/v4/chat/completions", {
      headers: { authorization: `Bearer ${secret}` },
      data: { model: "glm-4.7", messages: [{ role: "user", content: "hello" }] },
    });
    expect(call.status()).toBe(429);
    const refusal = (await call.json()).error;
    expect(refusal.code).toBe("1308");
    expect(refusal.message).toMatch(
      /^Usage limit reached for 5 hour\. Your limit will reset at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(this API key's own limit\)$/,
    );
    // The quota read-out answered to this key shows the key's own, tighter window.
    const readout = await (
      await request.get("/api/monitor/usage/quota/limit", { headers: { authorization: secret } })
    ).json();
    expect(readout.data.limits[0]).toMatchObject({
      unit: 3,
      usage: 3,
      currentValue: 3,
      remaining: 0,
      percentage: 100,
      nextResetTime: at.getTime() + 5 * HOUR,
    });

    await page.reload();
    const usage = row.getByTestId("key-usage");
    await expect(usage.getByRole("row", { name: /^Prompts/ })).toHaveText(/Prompts\s*3\s*3/);
    await expect(row.getByText(/^Last used/).locator("xpath=following-sibling::dd[1]")).not.toHaveText("never");

    // QUOTA-9: a key made for pay-as-you-go calls spends no plan quota.
    await page.getByLabel("Key name").fill("server app");
    await page.getByRole("radio", { name: /Pay-as-you-go API/ }).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const paygSecret = ((await page.getByTestId("new-key-secret").textContent()) ?? "").trim();
    await expect(page.getByTestId("key-row").filter({ hasText: "server app" }).getByTestId("key-purpose")).toHaveText(
      "Pay-as-you-go API",
    );
    expect(codes((await spend(paygSecret, [["prompt", 1]])).decisions)).toEqual(["key_not_for_coding"]);
    await expectAccessible(page);

    // The same screen in Chinese, and clearing the limit.
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.getByRole("heading", { name: "API 密钥", level: 1 })).toBeVisible();
    const zhRow = page.getByTestId("key-row").filter({ hasText: "ci box" });
    await expect(zhRow.getByTestId("key-purpose")).toHaveText("编程套餐");
    await zhRow.getByText("限额与有效期").click();
    await zhRow.getByLabel("每 5 小时提示次数").fill("abc");
    await zhRow.getByRole("button", { name: "保存限额" }).click();
    await expect(zhRow.getByText("请输入 1 到 1,000,000 之间的整数，或留空。")).toBeVisible();
    await expectAccessible(page);
    await zhRow.getByRole("button", { name: "全部清除" }).click();
    await expect(zhRow.getByTestId("key-limit-5h")).toHaveText("无单独限额");
    expect(codes((await spend(secret, [["prompt", 1]])).decisions)).toEqual(["allowed"]);
  });

  test("ALERT-2: at 40 prompts in the last hour, the usage screen says the 5-hour window runs out an hour from now, in the viewer's zone and language, and the read-out serves the same time @phone", async ({
    page,
    browser,
    request,
  }) => {
    test.setTimeout(150_000);
    await narrowOnPhone(page);
    await newLiteSubscriber(page, browser, "forecast");
    const secret = await createKeyOnPage(page, "forecast");
    await page.goto("/usage");
    await expect(page.getByTestId("five-hour-forecast")).toHaveCount(0);

    const { at, decisions } = await spend(secret, [["prompt", 40]]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    const readout = await (
      await request.get("/api/monitor/usage/quota/limit", { headers: { authorization: `Bearer ${secret}` } })
    ).json();
    const runOut: number = readout.data.limits[0].runOutTime;
    expect(Number.isInteger(runOut)).toBe(true);
    // 40 left at 40 an hour: an hour after the read-out, which came a few seconds after the prompts.
    expect(runOut - (at.getTime() + HOUR)).toBeGreaterThanOrEqual(0);
    expect(runOut - (at.getTime() + HOUR)).toBeLessThan(60_000);

    await page.reload();
    // The page is rendered a moment after the read-out: the same minute, or the next one.
    const shown = (t: number, locale: string) => shownResetTime(new Date(t), at, ZONE, locale);
    const en = [runOut, runOut + 60_000].map((t) => `At this pace the 5-hour window runs out at ${shown(t, "en")}.`);
    await expect(page.getByTestId("five-hour-forecast")).toHaveText(new RegExp(`^(${en.map(reEscape).join("|")})$`));
    await expectNoPageOverflow(page);
    await expectAccessible(page);

    await page.getByLabel("Language").selectOption("zh-CN");
    const zh = [runOut, runOut + 60_000].map((t) => `按当前速度，5 小时额度将在 ${shown(t, "zh-CN")} 用完。`);
    await expect(page.getByTestId("five-hour-forecast")).toHaveText(new RegExp(`^(${zh.map(reEscape).join("|")})$`));
    await expectAccessible(page);
  });
});

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
