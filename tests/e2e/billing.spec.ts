import { expect, test } from "@playwright/test";
import pg from "pg";
import { readCatalogFile } from "../../lib/billing/catalog-file";
import { stockDay } from "../../lib/billing/stock-day";
import { advanceTestClock, e2eDatabaseUrl } from "../support/clock";
import { alerts, expectAccessible, grantCredits, signUp, uniqueEmail } from "./helpers";

// Times on the page are compared with times formatted here: same zone on both sides.
test.use({ timezoneId: "UTC" });

test.describe("subscribing and the wallet", () => {
  test("SUB-1: a new subscriber with granted credits subscribes to Lite at the first-order price and sees the subscription, invoice and wallet @phone", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("buyer");
    await signUp(page, email);
    await grantCredits(browser, email, "50", expectAccessible);

    await page.goto("/pricing");
    await expect(page.getByRole("heading", { name: "Plans and pricing" })).toBeVisible();
    await expect(page.getByTestId("stock-lite")).toContainText("left today");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Choose — Lite, billed every month" }).click();

    await expect(page.getByRole("heading", { name: "Subscribe" })).toBeVisible();
    const quote = page.locator("dl").first();
    await expect(quote).toContainText("Plan price$6.00");
    await expect(quote).toContainText("First-order discount-$3.00");
    await expect(quote).toContainText("Total$3.00");
    await expect(page.getByText("Paid with credits")).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Confirm and pay" }).click();

    await page.waitForURL("**/subscription?notice=subscribed");
    await expect(page.getByRole("status")).toHaveText("You are subscribed. Your plan is active now.");
    await expect(page.getByTestId("current-plan")).toHaveText("Lite · billed every month");
    await expect(page.getByTestId("sub-status")).toHaveText("Active");
    await expect(page.getByTestId("cancel-cutoff")).toContainText("You can cancel the renewal until");
    await expectAccessible(page);

    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: /Invoice INTL-\d{4}-\d{6} — subscription/ })).toBeVisible();
    await expectAccessible(page);
    const csv = await page.request.get("/api/billing/export?type=invoices");
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toMatch(/,subscribe,paid,lite,monthly,.*,USD,plan,6\.00,3\.00/);
    const receiptHref = await page.getByRole("link", { name: /Receipt for invoice/ }).getAttribute("href");
    const pdf = await page.request.get(receiptHref!);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    await page.goto("/wallet");
    await expect(page.getByTestId("credits-USD")).toHaveText("$47.00");
    await expect(page.getByTestId("cash-USD")).toHaveText("$0.00");
    await expectAccessible(page);
  });

  test("WALLET-4: a top-up with a bad amount gets a field error, without a card is refused with nothing charged, and with a saved card adds cash", async ({
    page,
  }) => {
    await signUp(page, uniqueEmail("topup"));
    await page.goto("/wallet");
    await page.getByLabel("Amount (USD)").fill("12.345");
    await page.getByRole("button", { name: "Top up with card" }).click();
    await expect(page.getByText("Enter an amount such as 10 or 10.50.")).toBeVisible();
    await expect(page.getByLabel("Amount (USD)")).toHaveAttribute("aria-invalid", "true");
    await page.getByLabel("Amount (USD)").fill("10");
    await page.getByRole("button", { name: "Top up with card" }).click();
    await expect(alerts(page)).toHaveText("Add a card in your wallet first. Nothing was charged.");
    await expect(page.getByTestId("cash-USD")).toHaveText("$0.00");
    await expectAccessible(page);

    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM/YY)").fill("12/30");
    await page.getByLabel("Security code (CVC)").fill("123");
    await page.getByRole("button", { name: "Save card" }).click();
    await expect(page.getByRole("status")).toHaveText("Your card is saved. Renewals will charge it.");
    await page.getByLabel("Amount (USD)").fill("10");
    await page.getByRole("button", { name: "Top up with card" }).click();
    await expect(page.getByRole("status")).toHaveText("Your cash balance was topped up.");
    await expect(page.getByTestId("cash-USD")).toHaveText("$10.00");
  });

  test("WALLET-1: with an empty wallet the checkout says, in Chinese, what the card must cover and asks for a card before paying @phone", async ({
    page,
  }) => {
    await signUp(page, uniqueEmail("empty"));
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.goto("/subscription/checkout?tier=pro&cycle=monthly");
    await expect(page.getByRole("heading", { name: "订阅" })).toBeVisible();
    await expect(page.getByText(/钱包余额不足以支付本次购买/)).toBeVisible();
    await expect(page.getByText(/请添加银行卡以支付钱包不足的/)).toBeVisible();
    await expect(page.getByRole("button", { name: "确认并支付" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "保存银行卡" })).toBeVisible();
    await expectAccessible(page);
    await page.goto("/subscription");
    await expect(page.getByText("您还没有订阅。")).toBeVisible();
  });

  test("SUB-1: an unknown plan in the checkout address is refused with a clear message", async ({ page }) => {
    await signUp(page, uniqueEmail("badplan"));
    await page.goto("/subscription/checkout?tier=platinum&cycle=monthly");
    await expect(alerts(page)).toHaveText("That plan does not exist. Choose one on the pricing page.");
  });

  test("SUB-8: a sold-out tier shows the next release on the pricing page, and its checkout refuses before any payment @phone", async ({
    page,
  }) => {
    // Sell out today's Max stock in the app's database (no e2e journey buys Max).
    const appNow = await advanceTestClock(0);
    const stock = readCatalogFile().stock;
    const [hour, minute] = stock.releaseTime.split(":").map(Number);
    const { dayStart, nextRelease } = stockDay(appNow, {
      dailyPerTier: stock.dailyPerTier,
      releaseHour: hour,
      releaseMinute: minute,
      timeZone: stock.timeZone,
    });
    const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await c.connect();
    await c.query(
      `INSERT INTO stock_days (tier, day_start, capacity, sold) VALUES ('max', $1, $2, $2)
       ON CONFLICT (tier, day_start) DO UPDATE SET sold = stock_days.capacity`,
      [dayStart, stock.dailyPerTier],
    );
    await c.end();
    const release = new Intl.DateTimeFormat("en-US", {
      dateStyle: "medium",
      timeStyle: "long",
      timeZone: "UTC",
    }).format(nextRelease);

    await signUp(page, uniqueEmail("soldout"));
    await page.goto("/pricing");
    await expect(page.getByTestId("stock-max")).toHaveText(`Sold out today. New stock at ${release}.`);
    await expect(page.getByRole("link", { name: /^Choose — Max/ })).toHaveCount(0);
    await expectAccessible(page);
    await page.goto("/subscription/checkout?tier=max&cycle=monthly");
    await expect(alerts(page)).toHaveText(
      `Today's stock for this plan is sold out. New stock is released at ${release}.`,
    );
    await expect(page.getByRole("button", { name: "Confirm and pay" })).toHaveCount(0);
  });
});
