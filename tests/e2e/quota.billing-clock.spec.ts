import { expect, test } from "@playwright/test";
import { advanceTestClock } from "../support/clock";
import { createKeyOnPage, newLiteSubscriber, spend } from "./quota-helpers";

/*
 * Moves the app's test clock by five hours, so it runs in the billing-clock
 * project and alone (the built-in "-exclusive-" lock), like the other
 * journeys that move the clock.
 */
test.describe.configure({ mode: "default", lock: "-exclusive-" });
test.use({ timezoneId: "UTC" });

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

test("QUOTA-2: prompts come back 5 hours after they were used, and the open usage screen shows the refill without a reload", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await newLiteSubscriber(page, browser, "refill");
  const secret = await createKeyOnPage(page, "refill journey");
  const { decisions } = await spend(secret, [["prompt", 5]]);
  expect(decisions.every((d) => d.allowed)).toBe(true);

  await page.goto("/usage");
  await expect(page.getByTestId("five-hour-used")).toHaveText("5 of 80");
  await expect(page.getByRole("progressbar", { name: "Prompts, rolling 5 hours" })).toHaveAttribute(
    "aria-valuenow",
    "6",
  );
  await expect(page.getByTestId("five-hour-reset")).toHaveText(/^Resets /);
  const updatedBefore = await page.getByTestId("updated-at").textContent();
  // A reload or a navigation would drop this mark; the auto-refresh keeps it.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));

  await advanceTestClock(5 * HOUR + MINUTE);

  // The page refreshes itself every 15 s: the 5-hour window is empty again, the week still counts the prompts (QUOTA-3).
  await expect(page.getByTestId("five-hour-used")).toHaveText("0 of 80", { timeout: 30_000 });
  await expect(page.getByTestId("five-hour-remaining")).toHaveText("80");
  await expect(page.getByTestId("five-hour-percentage")).toHaveText("0%");
  await expect(page.getByTestId("five-hour-reset")).toHaveText("Nothing used");
  await expect(page.getByTestId("weekly-used")).toHaveText("5 of 400");
  await expect(page.getByTestId("updated-at")).not.toHaveText(updatedBefore ?? "");
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});
