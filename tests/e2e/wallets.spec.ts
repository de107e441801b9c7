import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { expectAccessible, expectNoPageOverflow, signUp, uniqueEmail } from "./helpers";

/** The local Stripe-compatible server (STRIPE_LOCAL_PORT in playwright.config.ts), whose wallet page stands in for Alipay and WeChat. */
const STRIPE_LOCAL = `http://localhost:${Number(process.env.E2E_STRIPE_PORT ?? 54341)}`;

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[]) {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** A new subscriber of the China site (CNY prices, Alipay and WeChat Pay offered). */
async function chinaSiteUser(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  await signUp(page, email);
  await sql(`UPDATE users SET region = 'cn' WHERE email = $1`, [email]);
  return email;
}

const subscriptionOf = (email: string) =>
  sql<{ tier: string; status: string }>(
    `SELECT s.tier::text, s.status::text FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
    [email],
  );

test.describe("Alipay and WeChat Pay (PAY-3)", () => {
  test("PAY-3: an Alipay purchase on the China site, in Chinese: pick Alipay, approve on the wallet page, back with the plan started @phone", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const email = await chinaSiteUser(page, "alipay");
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

    await page.goto("/subscription/checkout?tier=pro&cycle=monthly");
    await expect(page.getByRole("heading", { name: "订阅", exact: true })).toBeVisible();
    await expect(page.getByTestId("card-part")).toContainText("将使用您在下方选择的方式支付");
    const methods = page.getByRole("group", { name: "支付方式" });
    await expect(methods.getByRole("radio")).toHaveCount(2); // no card saved: the two wallets
    await methods.getByRole("radio", { name: /支付宝/ }).check();
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    await page.getByRole("button", { name: "确认并支付" }).click();

    await page.waitForURL(new RegExp(`^${STRIPE_LOCAL}/wallet/pi_`));
    await expect(page.getByRole("heading", { name: /Alipay · 支付宝/ })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("100.00");
    await expectAccessible(page);
    expect(await subscriptionOf(email)).toEqual([]); // nothing until it is paid
    await page.getByRole("button", { name: /确认付款/ }).click();

    await page.waitForURL((u) => u.pathname === "/subscription" && u.searchParams.get("notice") === "paid");
    await expect(page.getByRole("status").first()).toHaveText("已收到付款，谢谢。");
    await expectAccessible(page);
    await expect.poll(() => subscriptionOf(email)).toEqual([{ tier: "pro", status: "active" }]);
    const [payment] = await sql<{ status: string; currency: string }>(
      `SELECT p.status::text, p.currency FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN users u ON u.id = i.user_id WHERE u.email = $1`,
      [email],
    );
    expect(payment).toEqual({ status: "succeeded", currency: "CNY" });
  });

  test("PAY-3: Alipay saved for renewals, in Chinese at phone width: tick the box, sign the agreement on the wallet page, the wallet shows it and ends it @phone", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const email = await chinaSiteUser(page, "alipay-agree");
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

    await page.goto("/subscription/checkout?tier=lite&cycle=monthly");
    const methods = page.getByRole("group", { name: "支付方式" });
    await methods.getByRole("radio", { name: /支付宝/ }).check();
    const save = methods.getByRole("checkbox", { name: /保存它用于本套餐的续费/ });
    await expect(save).not.toBeChecked(); // consent is asked, never assumed
    await save.check();
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    await page.screenshot({ path: test.info().outputPath("checkout-alipay-save-zh.png"), fullPage: true });
    await page.getByRole("button", { name: "确认并支付" }).click();

    await page.waitForURL(new RegExp(`^${STRIPE_LOCAL}/wallet/pi_`));
    await expect(page.getByRole("main")).toContainText("付款即同时签署自动扣款协议");
    await expectAccessible(page);
    await page.getByRole("button", { name: /确认付款/ }).click();
    await page.waitForURL((u) => u.pathname === "/subscription" && u.searchParams.get("notice") === "paid");
    await expect.poll(() => subscriptionOf(email)).toEqual([{ tier: "lite", status: "active" }]);

    const saved = () =>
      sql<{ method_type: string; saved: boolean }>(
        `SELECT c.method_type, c.payment_method_id IS NOT NULL AS saved FROM payment_customers c JOIN users u ON u.id = c.user_id WHERE u.email = $1`,
        [email],
      );
    expect(await saved()).toEqual([{ method_type: "alipay", saved: true }]);
    await page.goto("/wallet");
    await expect(page.getByTestId("saved-method")).toHaveText(/已保存用于续费：您的支付宝账户/);
    await expect(page.getByTestId("pay-methods")).toContainText("支付宝也可以保存用于自动续费");
    await expect(page.getByTestId("pay-methods")).toContainText("不会保存的方式：微信支付");
    // A top-up by Alipay is now charged under the agreement: its hint says so.
    await expect(page.locator("#top-up-alipay-hint")).toHaveText(/按您的自动扣款协议从已保存的支付宝账户扣款/);
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    await page.screenshot({ path: test.info().outputPath("wallet-alipay-agreement-zh.png"), fullPage: true });

    await page.getByRole("button", { name: "解除支付宝自动扣款协议" }).click();
    await page.waitForURL((u) => u.pathname === "/wallet" && u.searchParams.get("notice") === "agreement_ended");
    await expect(page.getByRole("status").first()).toContainText("支付宝自动扣款协议已解除");
    await expect(page.getByTestId("saved-method")).not.toContainText("支付宝账户");
    expect(await saved()).toEqual([{ method_type: "card", saved: false }]);
    await expectAccessible(page);
  });

  test("PAY-3: a WeChat Pay purchase abandoned, then paid: the code is canceled and nothing is granted; the second code, scanned and approved, starts the plan @phone", async ({
    page,
    context,
  }) => {
    test.setTimeout(150_000);
    const email = await chinaSiteUser(page, "wechat");
    const payWithWeChat = async () => {
      await page.goto("/subscription/checkout?tier=lite&cycle=monthly");
      await page
        .getByRole("group", { name: "Pay with" })
        .getByRole("radio", { name: /WeChat Pay/ })
        .check();
      await page.getByRole("button", { name: "Confirm and pay" }).click();
      await page.waitForURL(/\/payments\/wechat\/[0-9a-f-]{36}\?next=/);
      await expect(page.getByRole("heading", { name: "Pay with WeChat Pay" })).toBeVisible();
      const qr = page.getByRole("img", { name: /WeChat Pay code for/ });
      await expect(qr).toBeVisible();
      return (await qr.getAttribute("data-qr"))!;
    };

    // First attempt: the buyer gives up.
    const first = await payWithWeChat();
    expect(first).toMatch(new RegExp(`^${STRIPE_LOCAL}/wallet/pi_`));
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    await page.getByRole("button", { name: "Cancel and choose another way" }).click();
    await page.waitForURL((u) => u.pathname === "/subscription" && u.searchParams.get("failed") === "payment");
    await expect(page.getByRole("alert").filter({ hasText: "The payment did not go through" })).toContainText(
      "the payment was canceled",
    );
    expect(await subscriptionOf(email)).toEqual([]);
    // The canceled code can no longer be paid.
    const phone = await context.newPage();
    await phone.goto(first);
    await expect(phone.getByRole("status")).toContainText("can no longer be paid");
    await expect(phone.getByRole("button", { name: /Pay / })).toHaveCount(0);

    // Second attempt: scanned on the phone and approved; the code page moves on by itself once the webhook has settled it.
    const second = await payWithWeChat();
    expect(second).not.toBe(first);
    await phone.goto(second);
    await expect(phone.getByRole("heading", { name: /WeChat Pay · 微信支付/ })).toBeVisible();
    await expectAccessible(phone);
    await phone.getByRole("button", { name: /^Pay / }).click();
    await expect(phone.getByRole("status")).toContainText("Paid.");
    await page.waitForURL((u) => u.pathname === "/subscription" && u.searchParams.get("notice") === "paid", {
      timeout: 20_000,
    });
    await expect(page.getByRole("status").first()).toHaveText("Payment received. Thank you.");
    expect(await subscriptionOf(email)).toEqual([{ tier: "lite", status: "active" }]);
    const invoices = await sql<{ status: string }>(
      `SELECT i.status::text FROM invoices i JOIN users u ON u.id = i.user_id WHERE u.email = $1 ORDER BY i.created_at`,
      [email],
    );
    expect(invoices.map((i) => i.status)).toEqual(["void", "paid"]);
  });
});

test.describe("buying again (SUB-6)", () => {
  test("SUB-6: a Pro subscriber buys Lite mid-cycle: the preview shows the old plan's unused value and the excess to cash before confirming; the plan changes at once @phone", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const email = uniqueEmail("buyagain");
    await signUp(page, email);
    await page.goto("/subscription/checkout?tier=pro&cycle=monthly");
    await page.getByLabel("Card number").fill("4242 4242 4242 4242");
    await page.getByLabel("Expiry (MM/YY)").fill("12/30");
    await page.getByLabel("Security code (CVC)").fill("123");
    await page.getByRole("button", { name: "Save card" }).click();
    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await page.waitForURL("**/subscription?notice=subscribed");

    // Paid 15.00 (first-order half price) moments ago: almost all of it is unused, and Lite costs 6.00.
    await page.getByRole("link", { name: /Buy now instead — buy Lite · billed every month now/ }).click();
    await page.waitForURL("**/subscription/checkout?tier=lite&cycle=monthly");
    await expect(page.getByRole("heading", { name: "Buy a new plan now" })).toBeVisible();
    await expect(page.getByTestId("buy-again-note")).toContainText(
      "Your current plan (Pro · billed every month) ends as soon as this is paid.",
    );
    const preview = page.locator("dl").first();
    await expect(preview).toContainText("Plan price$6.00");
    await expect(preview).toContainText("Unused value of the previous plan-$15.00");
    await expect(page.getByTestId("amount-due")).toHaveText("To pay now: $0.00");
    await expect(page.getByText("Added to your cash balance").first()).toBeVisible();
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    await page.getByRole("button", { name: "Replace my plan and pay" }).click();

    await page.waitForURL("**/subscription?notice=bought");
    await expect(page.getByRole("status").first()).toHaveText(
      "Your new plan has started. The unused value of the old one was counted towards it.",
    );
    expect(await subscriptionOf(email)).toEqual([{ tier: "lite", status: "active" }]);
    await page.goto("/wallet");
    await expect(page.getByTestId("cash-USD")).toHaveText("$9.00");
  });
});
