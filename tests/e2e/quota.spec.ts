import { expect, test } from "@playwright/test";
import { expectAccessible, signUp, uniqueEmail } from "./helpers";
import { createKeyOnPage, shownResetTime, spend, subscribeToLite } from "./quota-helpers";

// A viewer zone that is neither UTC nor UTC+8, so the screen's two reset times differ from each other and from the server's.
const ZONE = "America/New_York";
test.use({ timezoneId: ZONE });

const FIVE_HOURS = 5 * 3_600_000;

test.describe("API keys and usage", () => {
  test("QUOTA-9: a subscriber creates an API key (a bad name is refused first), sees the secret once, and revokes the key after confirming @phone", async ({
    page,
  }) => {
    await signUp(page, uniqueEmail("keys"));
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();
    await expect(page.getByText("You have no keys yet.")).toBeVisible();
    await expect(page.getByTestId("openai-base-url")).toHaveText(/^http:\/\/localhost:\d+\/api\/coding\/paas\/v4$/);
    await expect(page.getByTestId("anthropic-base-url")).toHaveText(/^http:\/\/localhost:\d+\/api\/anthropic$/);
    await expectAccessible(page);

    // An empty name: a localized error next to the field, and nothing created.
    await page.getByLabel("Key name").fill("   ");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.locator("#key-name-error")).toHaveText("Enter a name of 1 to 60 characters.");
    await expect(page.getByLabel("Key name")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("new-key")).toHaveCount(0);
    await expect(page.getByTestId("key-row")).toHaveCount(0);
    await expect(page.getByTestId("key-count")).toHaveText("0 of 20 active keys");

    // The secret is shown once, in a marked panel, and never in the address.
    await page.getByLabel("Key name").fill("  work laptop ");
    await page.getByRole("button", { name: "Create key" }).click();
    const panel = page.getByTestId("new-key");
    await expect(panel.getByRole("heading", { name: "Your new key “work laptop”" })).toBeFocused();
    await expect(panel).toContainText("It will not be shown again");
    const secret = ((await page.getByTestId("new-key-secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^cp_[A-Za-z0-9_-]{32}$/);
    expect(page.url()).not.toContain(secret);
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await panel.getByRole("button", { name: "Copy key" }).click();
    await expect(panel.getByText("Copied to the clipboard.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const row = page.getByTestId("key-row");
    await expect(row).toHaveCount(1);
    await expect(row.getByRole("heading", { name: "work laptop" })).toBeVisible();
    await expect(row.getByTestId("key-prefix")).toHaveText(`${secret.slice(0, 11)}…`);
    await expect(row).toContainText("Last usednever");
    await expect(row.getByTestId("key-state")).toHaveText("Active");
    await expect(page.getByLabel("Key name")).toHaveValue("");
    await expectAccessible(page);

    // After a reload the secret is gone for good: only the prefix is left.
    await page.reload();
    await expect(row.getByTestId("key-prefix")).toHaveText(`${secret.slice(0, 11)}…`);
    await expect(page.getByTestId("new-key")).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    // The key authenticates (this user has no plan, so the gateway answers "no plan", not "invalid key").
    expect(
      (await spend(secret, [["prompt", 1]])).decisions.map((d) => (d.allowed ? "allowed" : d.refusal.code)),
    ).toEqual(["no_plan"]);

    // Revoking asks first; cancelling keeps the key.
    await row.getByRole("button", { name: "Revoke key “work laptop”" }).click();
    await expect(
      row.getByText("Revoke “work laptop”? Tools using it stop working at once. This cannot be undone."),
    ).toBeVisible();
    await expect(row.getByRole("button", { name: "Cancel" })).toBeFocused();
    await expectAccessible(page);
    await row.getByRole("button", { name: "Cancel" }).click();
    await expect(row.getByTestId("key-state")).toHaveText("Active");

    await row.getByRole("button", { name: "Revoke key “work laptop”" }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await expect(row.getByTestId("key-state")).toHaveText(/^Revoked .+/);
    await expect(row.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
    await expect(page.getByTestId("key-count")).toHaveText("0 of 20 active keys");
    await expectAccessible(page);

    // A revoked key is refused at once.
    expect(
      (await spend(secret, [["prompt", 1]])).decisions.map((d) => (d.allowed ? "allowed" : d.refusal.code)),
    ).toEqual(["invalid_key"]);
  });

  test("QUOTA-10: a subscriber with some use sees each window's use, remaining amount, percentage and next reset, in English and in Chinese @phone", async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    const email = uniqueEmail("usage");
    await signUp(page, email);
    await page.goto("/usage");
    await expect(page.getByTestId("no-plan")).toHaveText(
      "You have no active coding plan, so there is no quota to show.",
    );
    await expect(page.getByRole("link", { name: "See plans" })).toHaveAttribute("href", "/pricing");
    await expectAccessible(page);

    await subscribeToLite(page, browser, email);
    const secret = await createKeyOnPage(page, "usage journey");
    const { at, decisions } = await spend(secret, [
      ["prompt", 3],
      ["web_search", 2],
      ["web_reader", 1],
    ]);
    expect(decisions.every((d) => d.allowed)).toBe(true);
    const reset = new Date(at.getTime() + FIVE_HOURS);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Usage", level: 1 })).toBeVisible();
    await expect(page.getByTestId("concurrency")).toHaveText(
      "Up to 2 requests at a time. Requests beyond that are refused at once, not queued.",
    );

    // 5-hour window: 3 of 80, 77 left, 3 %; back 5 hours after the first use, shown in the viewer's zone and in UTC+8.
    await expect(page.getByTestId("five-hour-used")).toHaveText("3 of 80");
    await expect(page.getByTestId("five-hour-remaining")).toHaveText("77");
    await expect(page.getByTestId("five-hour-percentage")).toHaveText("3%");
    await expect(page.getByRole("progressbar", { name: "Prompts, rolling 5 hours" })).toHaveAttribute(
      "aria-valuenow",
      "3",
    );
    await expect(page.getByTestId("five-hour-reset")).toHaveText(
      `Resets ${shownResetTime(reset, at, ZONE, "en")} (UTC+8 ${shownResetTime(reset, at, "Asia/Shanghai", "en")})`,
    );
    // Weekly: 3 of 400 (0 % rounded down), reset at the end of the 7-day week from the order.
    await expect(page.getByTestId("weekly-used")).toHaveText("3 of 400");
    await expect(page.getByTestId("weekly-remaining")).toHaveText("397");
    await expect(page.getByTestId("weekly-percentage")).toHaveText("0%");
    await expect(page.getByTestId("weekly-reset")).toHaveText(/^Resets .+ \(UTC\+8 .+\)$/);
    // Monthly tools: web search and web reader share one count.
    await expect(page.getByTestId("monthly-used")).toHaveText("3 of 100");
    await expect(page.getByTestId("monthly-remaining")).toHaveText("97");
    await expect(page.getByTestId("monthly-percentage")).toHaveText("3%");
    await expect(page.getByTestId("monthly-tools")).toHaveText("Web search 2 · Web reader 1");
    await expect(page.getByRole("progressbar", { name: "Web search and web reader this month" })).toHaveAttribute(
      "aria-valuetext",
      "3% used (3 of 100)",
    );

    // History: the charts' numbers are in text too.
    await expect(page.getByRole("button", { name: "Last 7 days" })).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("prompts-chart")).toContainText("3 prompts in the 7 days");
    await expect(page.getByTestId("tokens-chart")).toContainText("No tokens reported in this period.");
    await expect(page.getByRole("table", { name: "Prompts per day" }).getByRole("row")).toHaveCount(8);
    await page.getByRole("button", { name: "Last 30 days" }).click();
    await expect(page.getByTestId("prompts-chart")).toContainText("3 prompts in the 30 days");
    await expect(page.getByRole("table", { name: "Prompts per day" }).getByRole("row")).toHaveCount(31);
    await expect(page.getByTestId("updated-at")).toHaveText(/^Updated at /);
    await expectAccessible(page);

    // The same screen in Chinese.
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.getByRole("heading", { name: "用量", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "提问次数（滚动 5 小时）" })).toBeVisible();
    await expect(page.getByTestId("five-hour-used")).toHaveText("3 / 80");
    await expect(page.getByTestId("five-hour-remaining")).toHaveText("77");
    await expect(page.getByTestId("five-hour-reset")).toHaveText(
      `${shownResetTime(reset, at, ZONE, "zh-CN")} 重置（UTC+8 ${shownResetTime(reset, at, "Asia/Shanghai", "zh-CN")}）`,
    );
    await expect(page.getByRole("progressbar", { name: "本周提问次数" })).toHaveAttribute(
      "aria-valuetext",
      "已用 0%（3 / 400）",
    );
    await expect(page.getByTestId("monthly-tools")).toHaveText("联网搜索 2 · 网页读取 1");
    await expect(page.getByTestId("concurrency")).toHaveText("最多同时 2 个请求。超出的请求会被立即拒绝，不会排队。");
    await expect(page.getByRole("heading", { name: "每日提问次数" })).toBeVisible();
    await expectAccessible(page);
  });
});
