import { expect, test } from "@playwright/test";
import pg from "pg";
import { advanceTestClock, e2eDatabaseUrl } from "../support/clock";
import { alerts, expectAccessible, grantCredits, signUp, uniqueEmail } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function subscriptionOf(email: string) {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    const { rows } = await c.query<{ tier: string; period_start: Date; period_end: Date; period_paid_minor: string }>(
      `SELECT s.tier::text, s.period_start, s.period_end, s.period_paid_minor::text FROM subscriptions s JOIN users u ON u.id = s.user_id
       WHERE u.email = $1 AND s.status <> 'expired'`,
      [email],
    );
    return rows[0];
  } finally {
    await c.end();
  }
}

const cents = (minor: number) => `$${(minor / 100).toFixed(2)}`;
const ceilDiv = (a: number, b: number) => Math.ceil(a / b);
const longTime = (d: Date) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "long", timeZone: "UTC" }).format(d);

test.use({ timezoneId: "UTC" });

test("SUB-4, SUB-5, SUB-3: upgrade at the shown prorated price, a downgrade taking effect at the cycle end, a cancel inside the cutoff refused with the cutoff time", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("lifecycle");
  await signUp(page, email);
  await grantCredits(browser, email, "200");

  // Subscribe: Lite monthly at the first-order price (USD 3.00).
  await page.goto("/subscription/checkout?tier=lite&cycle=monthly");
  await page.getByRole("button", { name: "Confirm and pay" }).click();
  await page.waitForURL("**/subscription?notice=subscribed");
  await expect(page.getByTestId("current-plan")).toHaveText("Lite · billed every month");
  const lite = await subscriptionOf(email);
  expect(lite.period_paid_minor).toBe("300");

  // Ten days later, the upgrade quote credits the unused value, to the second, rounded up (SUB-4).
  const tenDaysOn = await advanceTestClock(10 * DAY);
  await page.goto("/subscription");
  await page.getByRole("link", { name: "See price — upgrade to Pro · billed every month" }).click();
  await expect(page.getByRole("heading", { name: "Upgrade" })).toBeVisible();
  const start = lite.period_start.getTime();
  const end = lite.period_end.getTime();
  const quotedAt = tenDaysOn.getTime(); // the app's time, give or take the seconds the bounds below absorb
  const unusedAt = (t: number) => ceilDiv(300 * Math.ceil((end - t) / 1000), Math.ceil((end - start) / 1000));
  const possible = new Set([unusedAt(quotedAt - 60_000), unusedAt(quotedAt), unusedAt(quotedAt + 60_000)]);
  const shownCredit = await page
    .locator("dt", { hasText: "Unused value of the previous plan" })
    .locator("xpath=following-sibling::dd[1]")
    .innerText();
  const credit = Math.round(Number(shownCredit.replace(/[^0-9.]/g, "")) * 100);
  expect(possible).toContain(credit);
  await expect(page.getByTestId("amount-due")).toHaveText(`To pay now: ${cents(3000 - credit)}`);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Upgrade now and pay" }).click();
  await page.waitForURL("**/subscription?notice=upgraded");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro · billed every month");
  const pro = await subscriptionOf(email);
  expect(pro.tier).toBe("pro");
  expect(pro.period_paid_minor).toBe("3000");

  // Schedule a downgrade: nothing changes until the cycle ends (SUB-5).
  await page
    .locator("li", { hasText: "Lite · billed every month" })
    .getByRole("button", { name: "Schedule downgrade" })
    .click();
  await page.waitForURL("**/subscription?notice=scheduled");
  await expect(page.getByTestId("scheduled-change")).toHaveText(
    `Changes to Lite · billed every month on ${longTime(pro.period_end)}.`,
  );
  await expect(page.getByTestId("current-plan")).toHaveText("Pro · billed every month");
  await expectAccessible(page);

  // Past the cycle end the worker renews on the scheduled plan.
  const appNow = (await advanceTestClock(0)).getTime();
  await advanceTestClock(pro.period_end.getTime() - appNow + 5_000);
  await expect(async () => {
    await page.goto("/subscription");
    await expect(page.getByTestId("current-plan")).toHaveText("Lite · billed every month", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId("scheduled-change")).toHaveCount(0);
  const renewed = await subscriptionOf(email);
  expect(renewed.period_start.toISOString()).toBe(pro.period_end.toISOString());

  // Twelve hours before the next renewal, cancelling is refused and names the cutoff (SUB-3, intl: 24 h).
  const later = (await advanceTestClock(0)).getTime();
  await advanceTestClock(renewed.period_end.getTime() - 12 * HOUR - later);
  await page.goto("/subscription");
  const cutoff = new Date(renewed.period_end.getTime() - DAY);
  await expect(page.getByTestId("cancel-cutoff")).toHaveText(
    `The cancellation cutoff passed at ${longTime(cutoff)}: the next renewal goes ahead.`,
  );
  await page.getByRole("button", { name: "Cancel renewal" }).click();
  await expect(alerts(page)).toHaveText(
    `Too late to cancel this renewal: cancellation closed at ${longTime(cutoff)}. The renewal goes ahead; you can cancel the next one.`,
  );
  await expect(page.getByTestId("sub-status")).toHaveText("Active");
  await expectAccessible(page);
});
