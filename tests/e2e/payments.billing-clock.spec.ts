import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { Temporal } from "temporal-polyfill";
import { advanceTestClock, e2eDatabaseUrl } from "../support/clock";
import { ADMIN, alerts, expectAccessible, signIn, signUp, uniqueEmail } from "./helpers";

/*
 * Card renewals, dunning, disputes and card upgrades against the app's test
 * clock and the local Stripe-compatible server. The file name puts these
 * journeys in the billing-clock project (after every other project); they move
 * the clock by days, so they run one after another and never beside another
 * test (the built-in "-exclusive-" lock: billing-clock.spec.ts moves the clock too).
 */
test.describe.configure({ mode: "default", lock: "-exclusive-" });
// Times on the page are compared with times formatted here: same zone on both sides.
test.use({ timezoneId: "UTC" });

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHECKOUT = "/subscription/checkout?tier=pro&cycle=monthly";
const STRIPE_API = `http://127.0.0.1:${Number(process.env.E2E_STRIPE_PORT ?? 54341)}`;

/** Times as the pages show them: "long" on /subscription, "short" in notices (both in the reader's zone, UTC here). */
const longTime = (d: Date | number) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "long", timeZone: "UTC" }).format(d);
const shortTime = (d: Date | number) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d);

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

type SubRow = {
  id: string;
  user_id: string;
  status: string;
  tier: string;
  period_start: Date;
  period_end: Date;
  cycle_anchor: Date;
  period_index: number;
  ended_at: Date | null;
};

/** The user's one subscription, whatever its status. */
async function subscriptionOf(email: string): Promise<SubRow> {
  const rows = await query<SubRow>(
    `SELECT s.id::text, s.user_id::text, s.status::text, s.tier::text, s.period_start, s.period_end, s.cycle_anchor, s.period_index, s.ended_at
     FROM subscriptions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
    [email],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

type InvoiceRow = {
  id: string;
  number: string;
  kind: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  card_minor: string;
  period_start: Date | null;
  period_end: Date | null;
};

async function invoicesOf(email: string, kind: string): Promise<InvoiceRow[]> {
  return query<InvoiceRow>(
    `SELECT i.id::text, COALESCE(i.legal_number, i.number::text) AS number, i.kind::text, i.status::text, i.attempts, i.next_attempt_at, i.card_minor::text, i.period_start, i.period_end
     FROM invoices i JOIN users u ON u.id = i.user_id WHERE u.email = $1 AND i.kind = $2::"InvoiceKind" ORDER BY i.number`,
    [email, kind],
  );
}

async function renewalInvoiceOf(email: string): Promise<InvoiceRow> {
  const rows = await invoicesOf(email, "renewal");
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** Where the monthly cycle ends: the anchor plus n months on the intl region's wall clock (UTC), month ends clamped (SUB-1). */
const monthsAfter = (anchor: Date, n: number) =>
  new Date(
    Temporal.Instant.fromEpochMilliseconds(anchor.getTime()).toZonedDateTimeISO("UTC").add({ months: n })
      .epochMilliseconds,
  );

/** Moves the shared app clock forward to `target` (it only moves forward); returns the app time after the move. */
async function moveClockTo(target: number): Promise<Date> {
  const now = (await advanceTestClock(0)).getTime();
  expect(
    now,
    `the app clock (${new Date(now).toISOString()}) is already past ${new Date(target).toISOString()}`,
  ).toBeLessThan(target);
  return advanceTestClock(target - now);
}

/** Reloads `path` until `check` passes: the worker acts on the clock within a sweep or two. */
async function eventually(page: Page, path: string, check: () => Promise<void>, timeout = 30_000) {
  await expect(async () => {
    await page.goto(path);
    await check();
  }).toPass({ timeout, intervals: [500, 1_000, 2_000] });
}

/** Types a card into the local card form (inside `scope`) and saves it. */
async function saveCard(scope: Page | Locator, number: string) {
  await scope.getByLabel("Card number").fill(number);
  await scope.getByLabel("Expiry (MM/YY)").fill("12/30");
  await scope.getByLabel("Security code (CVC)").fill("123");
  await scope.getByRole("button", { name: "Save card" }).click();
}

/** A new user subscribes to Pro monthly with 4242 typed into the checkout's card form; $15.00 (first order) by card. */
async function subscribeProWithCard(page: Page, email: string) {
  await signUp(page, email);
  await page.goto(CHECKOUT);
  await expect(page.getByTestId("card-part")).toContainText(
    "Your wallet does not cover this purchase: $15.00 is charged to your card.",
  );
  await saveCard(page, "4242 4242 4242 4242");
  await page.waitForURL(
    (u) => u.pathname === "/subscription/checkout" && u.searchParams.get("notice") === "card_saved",
  );
  await expect(page.getByTestId("card-part")).toContainText("Card: VISA ending in 4242.");
  await page.getByRole("button", { name: "Confirm and pay" }).click();
  await page.waitForURL("**/subscription?notice=subscribed");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro · billed every month");
  await expect(page.getByTestId("sub-status")).toHaveText("Active");
  return subscriptionOf(email);
}

/** Replaces the saved card in the wallet's "Payment method" section (opens the "Replace card" disclosure). */
async function replaceCardInWallet(page: Page, number: string, last4: string, options: { scan?: boolean } = {}) {
  if (new URL(page.url()).pathname !== "/wallet") await page.goto("/wallet");
  const method = page.getByRole("region", { name: "Payment method" });
  await method.locator("summary", { hasText: "Replace card" }).click();
  await expect(method.getByLabel("Card number")).toBeVisible();
  if (options.scan) await expectAccessible(page);
  await saveCard(method, number);
  await page.waitForURL((u) => u.pathname === "/wallet" && u.searchParams.get("notice") === "card_saved");
  await expect(page.getByRole("status")).toHaveText("Your card is saved. Renewals will charge it.");
  await expect(method.getByTestId("saved-card")).toHaveText(
    new RegExp(`^VISA ending in ${last4}, expires \\d\\d/20\\d\\d$`),
  );
  if (options.scan) await expectAccessible(page);
}

function notices(page: Page) {
  return page.getByTestId("notices").getByRole("listitem");
}

/** A notice on the dashboard, by its title and (part of) its body. */
function notice(page: Page, title: string, body?: string) {
  const item = notices(page).filter({ has: page.getByText(title, { exact: true }) });
  return body === undefined ? item : item.filter({ hasText: body });
}

/** The e-mail copy in the development mailbox (open outside production, no sign-in needed). */
function mail(page: Page, to: string, subject: string) {
  return page
    .getByTestId("mail")
    .filter({ hasText: to })
    .filter({ has: page.getByText(subject, { exact: true }) });
}

/** The overdue renewal's section on /subscription. */
function overdueSection(page: Page) {
  return page.getByRole("region", { name: "Payment due" });
}

function expectedOverdueText(retryAt: Date | number) {
  return `The renewal charge of $30.00 failed (the card or account charged has insufficient funds). Next try: ${longTime(retryAt)}. If every try fails, the plan lapses.`;
}

async function stripeTestHelper(path: string, form: Record<string, string>) {
  const res = await fetch(`${STRIPE_API}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Basic ${Buffer.from("sk_test_local:").toString("base64")}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function newUtcPage(browser: Browser) {
  const context = await browser.newContext({ timezoneId: "UTC" });
  return { context, page: await context.newPage() };
}

// A failing journey leaves a full-page screenshot in /tmp for the report.
test.afterEach(async ({ page }, info) => {
  if (info.status !== info.expectedStatus && !page.isClosed()) {
    const path = `/tmp/payments-billing-clock-${info.title.slice(0, 40).replace(/[^a-z0-9]+/gi, "-")}.png`;
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    info.annotations.push({ type: "screenshot", description: path });
  }
});

test("SUB-2: a renewal declined by the card goes past due with a notice and an e-mail; paying now with a new card restores the plan", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("dunningpay");
  const sub = await subscribeProWithCard(page, email);
  const renewsAt = sub.period_end.getTime();

  // The card is replaced by one that saves but is declined when charged (insufficient funds).
  await replaceCardInWallet(page, "4000 0000 0000 9995", "9995", { scan: true });

  // Two days before the renewal (the cutoff, 24 h before it, is a day ahead): the reminder.
  await moveClockTo(renewsAt - 2 * DAY);
  const reminder = `Your plan renews on ${shortTime(renewsAt)}. If you do not want it to renew, cancel before ${shortTime(renewsAt - DAY)}.`;
  await eventually(page, "/dashboard", () =>
    expect(notice(page, "Your plan renews soon", reminder)).toHaveCount(1, { timeout: 1_000 }),
  );
  await expectAccessible(page);

  // Past the period end the worker renews: the card declines, the plan is past due.
  await moveClockTo(renewsAt + 5_000);
  await eventually(page, "/subscription", () =>
    expect(page.getByTestId("sub-status")).toHaveText("Payment due", { timeout: 1_000 }),
  );
  const due = overdueSection(page);
  await expect(due.getByRole("heading", { name: "Payment due" })).toBeVisible();
  await expect(due.getByTestId("overdue")).toHaveText(expectedOverdueText(renewsAt + DAY));
  await expect(due.getByRole("button", { name: "Pay $30.00 now" })).toBeVisible();
  await expect(due.getByRole("link", { name: "Replace your card" })).toHaveAttribute("href", "/wallet");
  await expectAccessible(page);
  const renewal = await renewalInvoiceOf(email);
  expect(renewal).toMatchObject({ status: "open", attempts: 1, card_minor: "3000" });
  expect(renewal.next_attempt_at?.toISOString()).toBe(new Date(renewsAt + DAY).toISOString());

  // The dashboard tells them, and so does an e-mail.
  await page.goto("/dashboard");
  await expect(
    notice(
      page,
      "Renewal payment failed",
      `We could not charge $30.00 for your renewal (the card or account charged has insufficient funds). We will try again on ${shortTime(renewsAt + DAY)}.`,
    ),
  ).toHaveCount(1);
  await expectAccessible(page);
  await eventually(page, "/dev/mailbox", () =>
    expect(mail(page, email, "CodePlan: Renewal payment failed")).toHaveCount(1, { timeout: 1_000 }),
  );
  await expect(mail(page, email, "CodePlan: Renewal payment failed")).toContainText(
    "We could not charge $30.00 for your renewal (the card or account charged has insufficient funds).",
  );
  await expectAccessible(page);

  // A working card, then "Pay now": paid at once, the plan active again, the next period a month on.
  await page.goto("/subscription");
  await overdueSection(page).getByRole("link", { name: "Replace your card" }).click();
  await page.waitForURL("**/wallet");
  await replaceCardInWallet(page, "4242 4242 4242 4242", "4242");
  await page.goto("/subscription");
  await overdueSection(page).getByRole("button", { name: "Pay $30.00 now" }).click();
  await page.waitForURL("**/subscription?notice=paid");
  await expect(page.getByRole("status")).toHaveText("Payment received. Thank you.");
  await expect(page.getByTestId("sub-status")).toHaveText("Active");
  await expect(overdueSection(page)).toHaveCount(0);
  const restored = await subscriptionOf(email);
  expect(restored.status).toBe("active");
  expect(restored.period_start.toISOString()).toBe(sub.period_end.toISOString());
  expect(restored.period_end.toISOString()).toBe(monthsAfter(sub.cycle_anchor, sub.period_index + 1).toISOString());
  await expect(page.getByTestId("renewal-date")).toHaveText(longTime(restored.period_end));
  await expectAccessible(page);
  expect(await renewalInvoiceOf(email)).toMatchObject({ status: "paid" });

  await page.goto("/dashboard");
  await expect(
    notice(
      page,
      "Subscription restored",
      `Your renewal is paid. Your plan is active again until ${shortTime(restored.period_end)}.`,
    ),
  ).toHaveCount(1);
  await expectAccessible(page);
});

test("SUB-2: with every retry declined the plan lapses after the last one (1, 3, 5 days)", async ({ page }) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("dunninglapse");
  const sub = await subscribeProWithCard(page, email);
  const renewsAt = sub.period_end.getTime();
  await replaceCardInWallet(page, "4000 0000 0000 9995", "9995");

  // The renewal fails: past due, next try a day after the renewal time.
  await moveClockTo(renewsAt + 5_000);
  await eventually(page, "/subscription", () =>
    expect(page.getByTestId("sub-status")).toHaveText("Payment due", { timeout: 1_000 }),
  );
  await expect(overdueSection(page).getByTestId("overdue")).toHaveText(expectedOverdueText(renewsAt + DAY));
  await expectAccessible(page);

  // Each retry, on its day counted from the renewal time, fails again and names the next one.
  for (const [day, next] of [
    [1, 3],
    [3, 5],
  ] as const) {
    await test.step(`retry ${day} day(s) after the renewal fails; next try on day ${next}`, async () => {
      await moveClockTo(renewsAt + day * DAY + 5_000);
      await expect
        .poll(async () => (await renewalInvoiceOf(email)).attempts, { timeout: 30_000 })
        .toBe(day === 1 ? 2 : 3);
      await page.goto("/subscription");
      await expect(page.getByTestId("sub-status")).toHaveText("Payment due");
      await expect(overdueSection(page).getByTestId("overdue")).toHaveText(expectedOverdueText(renewsAt + next * DAY));
      await expectAccessible(page);
    });
  }

  // The last retry, five days on, fails: the plan lapses.
  await moveClockTo(renewsAt + 5 * DAY + 5_000);
  await eventually(page, "/subscription", () =>
    expect(page.getByText("You have no subscription yet.")).toBeVisible({ timeout: 1_000 }),
  );
  await expect(page.getByTestId("sub-status")).toHaveCount(0);
  await expect(overdueSection(page)).toHaveCount(0);
  await expectAccessible(page);

  const renewal = await renewalInvoiceOf(email);
  expect(renewal).toMatchObject({ status: "void", attempts: 4 });
  const ended = await subscriptionOf(email);
  expect(ended.status).toBe("expired");
  expect(ended.ended_at?.toISOString()).toBe(sub.period_end.toISOString());

  await page.goto("/dashboard");
  await expect(
    notice(
      page,
      "Subscription lapsed",
      "The last try to charge $30.00 for your renewal failed (the card or account charged has insufficient funds), so your subscription has ended.",
    ),
  ).toHaveCount(1);
  // One "failed" notice per failed try before the last (the renewal and the retries on days 1 and 3).
  await expect(notice(page, "Renewal payment failed")).toHaveCount(3);
  await expect(page.getByRole("region", { name: "Your plan" })).toContainText("You have no subscription yet.");
  await expectAccessible(page);
  await eventually(page, "/dev/mailbox", () =>
    expect(mail(page, email, "CodePlan: Subscription lapsed")).toHaveCount(1, { timeout: 1_000 }),
  );
});

test("SUB-7: a past-due subscriber cancels on /subscription: the plan ends at once and the retry a day later charges nothing", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("pastduecancel");
  const sub = await subscribeProWithCard(page, email);
  const renewsAt = sub.period_end.getTime();
  await replaceCardInWallet(page, "4000 0000 0000 9995", "9995");

  // The renewal fails: past due, and the renewal section offers to cancel, saying what that does.
  await moveClockTo(renewsAt + 5_000);
  await eventually(page, "/subscription", () =>
    expect(page.getByTestId("sub-status")).toHaveText("Payment due", { timeout: 1_000 }),
  );
  const renewal = page.getByRole("region", { name: "Renewal", exact: true });
  await expect(renewal.getByTestId("cancel-past-due")).toHaveText(
    "Your renewal is unpaid. Cancelling ends the subscription now: the payment retries stop and nothing more is charged. The paid period is already over, so there is nothing to refund.",
  );
  await expectAccessible(page);
  await renewal.getByRole("button", { name: "Cancel and stop the retries" }).click();
  await page.waitForURL("**/subscription?notice=ended");
  await expect(page.getByRole("status")).toHaveText(
    "Your subscription has ended. The payment retries are stopped and nothing more will be charged.",
  );
  await expect(page.getByText("You have no subscription yet.")).toBeVisible();
  await expect(overdueSection(page)).toHaveCount(0);
  await expectAccessible(page);

  const ended = await subscriptionOf(email);
  expect(ended.status).toBe("expired");
  expect(ended.ended_at?.toISOString()).toBe(sub.period_end.toISOString());
  expect(await renewalInvoiceOf(email)).toMatchObject({ status: "void", attempts: 1, next_attempt_at: null });

  // The day the first retry was due passes, the worker sweeps a few times: no charge is attempted.
  await moveClockTo(renewsAt + DAY + 5_000);
  await page.waitForTimeout(4_000);
  expect(await renewalInvoiceOf(email)).toMatchObject({ status: "void", attempts: 1 });
  const payments = await query<{ n: string }>(
    `SELECT count(*)::text AS n FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN users u ON u.id = i.user_id WHERE u.email = $1 AND i.kind = 'renewal'`,
    [email],
  );
  expect(payments).toEqual([{ n: "1" }]);
});

test("dispute: a dispute suspends the plan and raises an admin flag; won restores it", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("dispute");
  const sub = await subscribeProWithCard(page, email);
  const [payment] = await query<{ provider_payment_id: string; number: string }>(
    `SELECT p.provider_payment_id, COALESCE(i.legal_number, i.number::text) AS number FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN users u ON u.id = i.user_id
     WHERE u.email = $1 AND p.status = 'succeeded'`,
    [email],
  );
  expect(payment.provider_payment_id).toMatch(/^pi_/);
  const flagText = `Dispute on invoice ${payment.number}: $15.00, reason fraudulent`;

  // The bank disputes the $15.00: the plan is suspended.
  const dispute = await stripeTestHelper("/v1/test_helpers/disputes", { payment_intent: payment.provider_payment_id });
  expect(String(dispute.id)).toMatch(/^du_/);
  await eventually(page, "/subscription", () =>
    expect(page.getByTestId("sub-status")).toHaveText("Suspended (payment disputed)", { timeout: 1_000 }),
  );
  await expect(page.getByTestId("suspended")).toHaveText(
    "Your subscription is suspended because your bank disputed a payment. It is restored if the dispute is resolved in our favour.",
  );
  await expectAccessible(page);
  await page.goto("/dashboard");
  await expect(
    notice(page, "Payment disputed", `Your bank disputed a payment of $15.00 (invoice ${payment.number}).`),
  ).toHaveCount(1);
  await expectAccessible(page);

  // The admin sees an open flag that leads to the customer.
  const { context, page: admin } = await newUtcPage(browser);
  try {
    await signIn(admin, ADMIN);
    await admin.goto("/admin");
    const flags = admin.getByRole("region", { name: "Open flags" });
    const flag = flags.getByRole("listitem").filter({ hasText: flagText });
    await expect(flag).toHaveCount(1);
    await expect(flag.getByRole("link", { name: "View customer" })).toHaveAttribute(
      "href",
      `/admin/customers/${sub.user_id}`,
    );
    await expectAccessible(admin);
    await flag.getByRole("link", { name: "View customer" }).click();
    await admin.waitForURL(`**/admin/customers/${sub.user_id}`);
    await expect(admin.getByRole("main")).toContainText(email);
    await expectAccessible(admin);

    // Won: the plan is active again and the flag leaves the open list.
    await stripeTestHelper(`/v1/test_helpers/disputes/${String(dispute.id)}/close`, { outcome: "won" });
    await eventually(page, "/subscription", () =>
      expect(page.getByTestId("sub-status")).toHaveText("Active", { timeout: 1_000 }),
    );
    await expect(page.getByTestId("suspended")).toHaveCount(0);
    await expectAccessible(page);
    await eventually(admin, "/admin", () =>
      expect(admin.getByRole("region", { name: "Open flags" }).getByText(flagText)).toHaveCount(0, { timeout: 1_000 }),
    );
    await expectAccessible(admin);
  } catch (e) {
    await admin.screenshot({ path: "/tmp/payments-billing-clock-dispute-admin.png", fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
  expect((await subscriptionOf(email)).status).toBe("active");
  await page.goto("/dashboard");
  await expect(
    notice(page, "Dispute resolved", `The dispute about invoice ${payment.number} was resolved in our favour.`),
  ).toHaveCount(1);
  await expectAccessible(page);
});

test("SUB-4, PAY-1: an upgrade is charged to the saved card", async ({ page }) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("upgradecard");
  await subscribeProWithCard(page, email);

  await page.getByRole("link", { name: "See price — upgrade to Max · billed every month" }).click();
  await expect(page.getByRole("heading", { name: "Upgrade", exact: true })).toBeVisible();
  // Nothing in the wallet: the whole amount due goes to the saved card.
  const due = (await page.getByTestId("amount-due").innerText()).match(/^To pay now: \$(\d+\.\d\d)$/);
  expect(due, "amount due on the upgrade checkout").not.toBeNull();
  await expect(page.getByTestId("card-part")).toHaveText(
    `Your wallet does not cover this purchase: $${due![1]} is charged to your card. Card: VISA ending in 4242.`,
  );
  await expectAccessible(page);
  await page.getByRole("button", { name: "Upgrade now and pay" }).click();
  await page.waitForURL("**/subscription?notice=upgraded");
  await expect(page.getByRole("status")).toHaveText("Upgraded. The new plan is active now.");
  await expect(page.getByTestId("current-plan")).toHaveText("Max · billed every month");
  await expect(page.getByTestId("sub-status")).toHaveText("Active");
  await expect(alerts(page)).toHaveCount(0);
  await expectAccessible(page);

  // The upgrade invoice is paid by one successful card payment of the amount shown.
  const [upgrade] = await invoicesOf(email, "upgrade");
  expect(upgrade).toMatchObject({ status: "paid", card_minor: String(Math.round(Number(due![1]) * 100)) });
  const payments = await query<{ status: string; amount_minor: string; provider_payment_id: string }>(
    `SELECT status::text, amount_minor::text, provider_payment_id FROM payments WHERE invoice_id = $1`,
    [upgrade.id],
  );
  expect(payments).toEqual([
    { status: "succeeded", amount_minor: upgrade.card_minor, provider_payment_id: expect.stringMatching(/^pi_/) },
  ]);
  expect((await subscriptionOf(email)).tier).toBe("max");

  await page.goto("/billing");
  await expect(page.getByRole("heading", { name: `Invoice ${upgrade.number} — upgrade` })).toBeVisible();
  await expectAccessible(page);
});
