import { expect, type Browser, type Page } from "@playwright/test";

/** Shared by the referral journeys (referrals.spec.ts, referrals.billing-clock.spec.ts). */

/** The inviter's referrals screen, reached from the main navigation; returns the invite link and code shown. */
export async function openReferrals(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Referrals" }).click();
  await expect(page.getByRole("heading", { name: "Referrals", level: 1 })).toBeVisible();
  const link = await page.getByRole("textbox", { name: "Invite link" }).inputValue();
  const code = await page.getByRole("textbox", { name: "Invite code" }).inputValue();
  return { link, code };
}

/**
 * A friend's own browser. "Elsewhere" is another person on another network and
 * device (a forwarded address and another screen size, which the device
 * fingerprint takes in); otherwise the friend shares the inviter's device and
 * network, as every browser of this test run does.
 */
export async function friendBrowser(browser: Browser, elsewhere: boolean) {
  const n = (max: number) => 1 + Math.floor(Math.random() * max);
  const context = await browser.newContext(
    elsewhere
      ? {
          extraHTTPHeaders: { "x-forwarded-for": `198.${n(250)}.${n(250)}.${n(250)}` },
          screen: { width: 1000 + n(900), height: 700 + n(300) },
        }
      : {},
  );
  return { context, page: await context.newPage() };
}

/** The friend's first order, Pro monthly ($30.00), paid by card: 50 % first-order and 10 % referral discount (REF-3). */
export async function subscribeByCard(page: Page) {
  await page.goto("/subscription/checkout?tier=pro&cycle=monthly");
  const quote = page.locator("dl").first();
  await expect(quote).toContainText("Plan price$30.00");
  await expect(quote).toContainText("First-order discount-$15.00");
  await expect(quote).toContainText("Referral discount-$1.50");
  await expect(quote).toContainText("Total$13.50");
  await expect(page.getByTestId("referral-active")).toContainText("Invitation applied");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/30");
  await page.getByLabel("Security code (CVC)").fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
  await page.getByRole("button", { name: "Confirm and pay" }).click();
  await page.waitForURL("**/subscription?notice=subscribed");
}
