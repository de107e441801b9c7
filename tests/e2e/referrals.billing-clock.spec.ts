import { expect, test } from "@playwright/test";
import { advanceTestClock } from "../support/clock";
import { expectAccessible, signUp, uniqueEmail } from "./helpers";
import { friendBrowser, openReferrals, subscribeByCard } from "./referral-helpers";

/*
 * Moves the app's test clock by a day, so it runs in the billing-clock
 * project and alone (the built-in "-exclusive-" lock), like the other
 * journeys that move the clock.
 */
test.describe.configure({ mode: "default", lock: "-exclusive-" });
test.use({ timezoneId: "UTC" });

const HOUR = 3_600_000;

test("REF-5: a day after the friend pays, the worker issues the reward: the inviter sees it issued, with the credits in the wallet and the ledger", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  await signUp(page, uniqueEmail("inviter"));
  const { link } = await openReferrals(page);

  const friend = await friendBrowser(browser, true);
  await friend.page.goto(link);
  await friend.page.waitForURL("**/sign-up?invite=yes");
  await signUp(friend.page, uniqueEmail("friend"));
  await subscribeByCard(friend.page);
  await friend.context.close();

  await page.reload();
  const row = page.getByRole("row").filter({ hasText: "In review" });
  await expect(row).toContainText("$1.35");
  await expect(page.getByTestId("earned-USD")).toHaveText("$0.00");

  // 24 hours and a minute later the review is over; the worker sweeps every second in this run.
  await advanceTestClock(24 * HOUR + 60_000);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("earned-USD")).toHaveText("$1.35", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole("row").filter({ hasText: "Issued" })).toContainText("$1.35");
  await expect(page.getByTestId("pending-USD")).toHaveText("$0.00");
  await expectAccessible(page);

  // WALLET-2: the credits are spendable and the movement is named.
  await page.goto("/wallet");
  await expect(page.getByText("Referral reward").first()).toBeVisible();
  await expect(page.getByTestId("credits-USD")).toHaveText("$1.35");
});
