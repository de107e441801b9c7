import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { ADMIN, alerts, expectAccessible, signIn, signUp, uniqueEmail } from "./helpers";

// Times on the page are compared with times formatted here: same zone on both sides.
test.use({ timezoneId: "UTC" });

const CHECKOUT = "/subscription/checkout?tier=pro&cycle=monthly";
/** The local Stripe-compatible server's 3-D Secure challenge page (STRIPE_LOCAL_PORT in playwright.config.ts). */
const STRIPE_LOCAL = `http://localhost:${Number(process.env.E2E_STRIPE_PORT ?? 54341)}`;

/** Types a card into the local card form and saves it. */
async function saveCard(page: Page, number: string, expiry = "12/30", cvc = "123") {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry (MM/YY)").fill(expiry);
  await page.getByLabel("Security code (CVC)").fill(cvc);
  await page.getByRole("button", { name: "Save card" }).click();
}

/** A new user's checkout for Pro monthly: nothing in the wallet, no card yet. */
async function openCheckoutWithoutCard(page: Page) {
  await page.goto(CHECKOUT);
  await expect(page.getByRole("heading", { name: "Subscribe", exact: true })).toBeVisible();
  await expect(page.getByTestId("card-part")).toContainText(
    "Your wallet does not cover this purchase: $15.00 is charged to your card.",
  );
  await expect(page.getByRole("heading", { name: "Add a card" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Confirm and pay" })).toHaveCount(0);
}

/** The challenge page of the local server: checks it, scans it, and answers it. */
async function answerChallenge(page: Page, kind: "seti" | "pi", answer: "complete" | "fail") {
  await page.waitForURL(new RegExp(`^${STRIPE_LOCAL}/3ds/${kind}_`));
  await expect(page.getByRole("heading", { name: /Confirm it's you/ })).toBeVisible();
  if (kind === "pi") await expect(page.getByRole("main")).toContainText("$15.00");
  await expectAccessible(page);
  const name = answer === "complete" ? /Complete authentication · 完成验证/ : /Fail authentication · 验证失败/;
  await page.getByRole("button", { name }).click();
}

async function expectCardSaved(page: Page) {
  await page.waitForURL(
    (u) => u.pathname === "/subscription/checkout" && u.searchParams.get("notice") === "card_saved",
  );
  await expect(page.getByRole("status")).toHaveText("Your card is saved. Renewals will charge it.");
  await expect(page.getByTestId("card-part")).toContainText("Card: VISA ending in");
  await expect(page.getByRole("button", { name: "Confirm and pay" })).toBeVisible();
}

async function expectNoSubscription(page: Page) {
  await page.goto("/subscription");
  await expect(page.getByText("You have no subscription yet.")).toBeVisible();
  await expect(page.getByTestId("sub-status")).toHaveCount(0);
}

async function subscriptionRow(email: string) {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    const { rows } = await c.query<{ period_start: Date; period_end: Date; auto_renew: boolean; status: string }>(
      `SELECT s.period_start, s.period_end, s.auto_renew, s.status FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
      [email],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  } finally {
    await c.end();
  }
}

const longTime = (d: Date) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "long", timeZone: "UTC" }).format(d);

test.describe("card payments", () => {
  test("PAY-1: subscribe with 4242 4242 4242 4242 @phone", async ({ page }) => {
    await signUp(page, uniqueEmail("card4242"));
    await openCheckoutWithoutCard(page);
    await expectAccessible(page);

    await saveCard(page, "4242 4242 4242 4242");
    await expectCardSaved(page);
    await expect(page.getByTestId("card-part")).toContainText("Card: VISA ending in 4242.");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await page.waitForURL("**/subscription?notice=subscribed");
    await expect(page.getByRole("status")).toHaveText("You are subscribed. Your plan is active now.");
    await expect(page.getByTestId("current-plan")).toHaveText("Pro · billed every month");
    await expect(page.getByTestId("sub-status")).toHaveText("Active");
    await expectAccessible(page);

    await page.goto("/wallet");
    const method = page.getByRole("region", { name: "Payment method" });
    // The expiry is the processor's: Stripe's test payment methods carry their own, whatever was typed.
    await expect(method.getByTestId("saved-card")).toHaveText(/^VISA ending in 4242, expires 12\/20\d\d$/);
    await expect(method.locator("summary", { hasText: "Replace card" })).toBeVisible();
    await expectAccessible(page);
    await method.locator("summary", { hasText: "Replace card" }).click();
    await expect(method.getByLabel("Card number")).toBeVisible();
    await expectAccessible(page);

    await page.goto("/billing");
    await expect(page.getByRole("heading", { name: /Invoice INTL-\d{4}-\d{6} — subscription/ })).toBeVisible();
    await expectAccessible(page);
  });

  test("PAY-1: subscribe with a 3-D Secure card through the challenge @phone", async ({ page }) => {
    await signUp(page, uniqueEmail("card3ds"));
    await openCheckoutWithoutCard(page);

    await saveCard(page, "4000 0027 6000 3184");
    await answerChallenge(page, "seti", "complete");
    await expectCardSaved(page);
    await expect(page.getByTestId("card-part")).toContainText("Card: VISA ending in 3184.");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await answerChallenge(page, "pi", "complete");
    await page.waitForURL("**/subscription?notice=paid");
    await expect(page.getByRole("status")).toHaveText("Payment received. Thank you.");
    await expect(page.getByTestId("current-plan")).toHaveText("Pro · billed every month");
    await expect(page.getByTestId("sub-status")).toHaveText("Active");
    await expectAccessible(page);
  });

  test("PAY-1: failing 3-D Secure leaves no subscription and says why", async ({ page }) => {
    await signUp(page, uniqueEmail("card3dsfail"));
    await openCheckoutWithoutCard(page);

    await saveCard(page, "4000 0027 6000 3184");
    await answerChallenge(page, "seti", "complete");
    await expectCardSaved(page);

    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await answerChallenge(page, "pi", "fail");
    await page.waitForURL((u) => u.pathname === "/subscription" && u.searchParams.get("failed") === "payment");
    await expect(alerts(page)).toHaveText(
      "The payment did not go through: 3-D Secure verification failed. Nothing was charged.",
    );
    await expect(page.getByText("You have no subscription yet.")).toBeVisible();
    await expectAccessible(page);
    await expectNoSubscription(page);
  });

  test("PAY-1: a declined card gives a clear error and no subscription @phone", async ({ page }) => {
    await signUp(page, uniqueEmail("declined"));
    await openCheckoutWithoutCard(page);

    // Refused when it is saved.
    await saveCard(page, "4000 0000 0000 0002");
    await expect(alerts(page)).toHaveText("The card could not be saved: the card was declined.");
    await expect(page).toHaveURL(new RegExp(`${CHECKOUT.replace(/[?]/g, "\\?")}$`));
    await expect(page.getByRole("button", { name: "Confirm and pay" })).toHaveCount(0);
    await expectAccessible(page);

    // Saved, then refused when it pays: typed into the same form, as a customer would.
    await saveCard(page, "4000 0000 0000 9995");
    await expectCardSaved(page);
    await expect(page.getByTestId("card-part")).toContainText("Card: VISA ending in 9995.");
    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await expect(alerts(page)).toHaveText(
      "The payment did not go through: the card or account charged has insufficient funds. Nothing was charged.",
    );
    await expect(page).toHaveURL(/\/subscription\/checkout\?/);
    await expectAccessible(page);

    await expectNoSubscription(page);
  });

  test("PAY-1: the card form refuses bad input with a message per field", async ({ page }) => {
    await signUp(page, uniqueEmail("badcard"));
    await openCheckoutWithoutCard(page);
    const number = page.getByLabel("Card number");
    const expiry = page.getByLabel("Expiry (MM/YY)");
    const cvc = page.getByLabel("Security code (CVC)");

    const cases: { card: [string, string, string]; field: typeof number; message: string }[] = [
      { card: ["1234", "12/30", "123"], field: number, message: "The card number is not valid. Check the digits." },
      {
        card: ["4111 1111 1111 1111", "12/30", "123"],
        field: number,
        message: "Test mode accepts only Stripe test cards, such as 4242 4242 4242 4242.",
      },
      {
        card: ["4242 4242 4242 4242", "13/30", "123"],
        field: expiry,
        message: "Enter the expiry as MM/YY, such as 12/30.",
      },
      {
        card: ["4242 4242 4242 4242", "01/20", "123"],
        field: expiry,
        message: "The card has expired. Check the expiry date.",
      },
      { card: ["4242 4242 4242 4242", "12/30", "1"], field: cvc, message: "The security code has 3 or 4 digits." },
    ];
    for (const { card, field, message } of cases) {
      await test.step(`${card.join(" · ")} → ${message}`, async () => {
        await saveCard(page, ...card);
        await expect(field).toHaveAttribute("aria-invalid", "true");
        await expect(field).toHaveAccessibleDescription(message);
        await expect(page.getByText(message, { exact: true })).toBeVisible();
        // Only the field at fault is marked.
        for (const other of [number, expiry, cvc].filter((f) => f !== field))
          await expect(other).not.toHaveAttribute("aria-invalid", "true");
        await expect(page).toHaveURL(new RegExp(`${CHECKOUT.replace(/[?]/g, "\\?")}$`));
      });
    }
    await expectAccessible(page);
    await expectNoSubscription(page);
  });

  test("REFUND-1: an admin refunds part of a payment with a reason; the subscriber sees it in billing history", async ({
    page,
    browser,
  }) => {
    // Two people, two browsers, a dozen screens.
    test.setTimeout(120_000);
    // The subscriber pays $15.00 by card.
    const email = uniqueEmail("refund");
    await signUp(page, email);
    await openCheckoutWithoutCard(page);
    await saveCard(page, "4242 4242 4242 4242");
    await expectCardSaved(page);
    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await page.waitForURL("**/subscription?notice=subscribed");
    await expect(page.getByTestId("sub-status")).toHaveText("Active");
    const before = await subscriptionRow(email);
    expect(before.auto_renew).toBe(true);

    // The admin, in a browser of their own.
    const adminContext = await browser.newContext({ timezoneId: "UTC" });
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN);
    await admin.goto("/admin");
    await expect(admin.getByRole("heading", { name: "Open flags" })).toBeVisible();
    await expectAccessible(admin);
    await admin.getByRole("link", { name: email }).click();

    const payments = admin.getByRole("region", { name: "Card payments" });
    const payment = payments.getByTestId("card-payment");
    await expect(payment).toHaveCount(1);
    await expect(payment.locator("p").first()).toContainText(/^Invoice INTL-\d{4}-\d{6} · \$15\.00 · Paid/);
    await expectAccessible(admin);
    await payment.locator("summary", { hasText: "Refund" }).click();
    const amount = payment.getByLabel("Amount to refund (USD)");
    const reason = payment.getByLabel("Reason for the refund");
    await expect(amount).toBeVisible();
    await expectAccessible(admin);

    // No reason: a field error on the reason.
    await amount.fill("5");
    await reason.fill("");
    await payment.getByRole("button", { name: "Refund", exact: true }).click();
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(payment.getByText("Give a reason (at least 3 characters).")).toBeVisible();
    await expectAccessible(admin);

    // More than was paid: refused, nothing refunded.
    await amount.fill("100");
    await reason.fill("Customer asked for part of the month back");
    await payment.getByRole("button", { name: "Refund", exact: true }).click();
    await expect(alerts(admin)).toHaveText("That is more than is left to refund on this payment ($15.00).");
    // A refused refund keeps what was typed.
    await expect(amount).toHaveValue("100");
    await expect(reason).toHaveValue("Customer asked for part of the month back");
    await expect(payment).not.toContainText("refunded ·");
    await expectAccessible(admin);

    // $5.00 of $15.00 with a reason.
    const why = "Service outage on the 3rd";
    await amount.fill("5");
    await reason.fill(why);
    await payment.getByRole("button", { name: "Refund", exact: true }).click();
    await expect(admin.getByRole("status")).toHaveText("Refund issued.");
    await expect(payment).toContainText(`$5.00 refunded · ${why} · done`);
    await expectAccessible(admin);
    await adminContext.close();

    // The period paid for is shortened by the refunded share (5 of 15, a third) and will not renew.
    const after = await subscriptionRow(email);
    const lengthS = Math.floor((before.period_end.getTime() - before.period_start.getTime()) / 1000);
    const removedS = Math.ceil((lengthS * 5) / 15);
    expect(after.period_start.getTime()).toBe(before.period_start.getTime());
    expect(after.period_end.getTime()).toBe(before.period_end.getTime() - removedS * 1000);
    expect(after.auto_renew).toBe(false);

    await page.goto("/subscription");
    await expect(page.getByTestId("sub-status")).toHaveText("Cancelled — ends at the end of this period");
    await expect(page.getByText("Ends on", { exact: true })).toBeVisible();
    await expect(page.getByTestId("renewal-date")).toHaveText(longTime(after.period_end));
    await expectAccessible(page);

    await page.goto("/billing");
    await expect(page.getByTestId("refund")).toHaveCount(1);
    await expect(page.getByTestId("refund")).toContainText("$5.00 refunded to the card");
    await expectAccessible(page);

    await page.goto("/dashboard");
    await expect(page.getByTestId("notices")).toContainText("Refund issued");
    await expectAccessible(page);
  });

  test("SUB-7: a China-site payment cannot be refunded: the admin's customer screen says why instead of offering the refund @phone", async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    // A China-site subscriber pays Pro monthly in CNY by card.
    const email = uniqueEmail("cnrefund");
    await signUp(page, email);
    const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await c.connect();
    await c.query(`UPDATE users SET region = 'cn' WHERE email = $1`, [email]);
    await page.goto(CHECKOUT);
    await saveCard(page, "4242 4242 4242 4242");
    await page.waitForURL(
      (u) => u.pathname === "/subscription/checkout" && u.searchParams.get("notice") === "card_saved",
    );
    await page.getByRole("button", { name: "Confirm and pay" }).click();
    await page.waitForURL("**/subscription?notice=subscribed");
    const paid = async () =>
      (
        await c.query<{ currency: string; refunded_minor: string }>(
          `SELECT p.currency, p.refunded_minor::text FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN users u ON u.id = i.user_id WHERE u.email = $1 AND p.status = 'succeeded'`,
          [email],
        )
      ).rows;
    expect(await paid()).toEqual([{ currency: "CNY", refunded_minor: "0" }]);

    // The admin finds the payment: no refund control, the reason in its place.
    const adminContext = await browser.newContext({ timezoneId: "UTC", viewport: page.viewportSize() ?? undefined });
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN);
    await admin.goto("/admin");
    await admin.getByRole("link", { name: email }).click();
    const payment = admin.getByRole("region", { name: "Card payments" }).getByTestId("card-payment");
    await expect(payment).toHaveCount(1);
    await expect(payment.getByTestId("refund-unavailable")).toHaveText(
      "No refund: China-site payments are never refunded, by anyone. Only a dispute through the card issuer can take this money back.",
    );
    await expect(payment.locator("summary", { hasText: "Refund" })).toHaveCount(0);
    await expect(payment.getByLabel(/Amount to refund/)).toHaveCount(0);
    await expectAccessible(admin);

    await adminContext.close();
    expect(await paid()).toEqual([{ currency: "CNY", refunded_minor: "0" }]);
    await c.end();
  });
});
