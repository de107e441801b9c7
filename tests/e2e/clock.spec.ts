import { expect, test } from "@playwright/test";
import { advanceTestClock } from "../support/clock";
import { ADMIN, expectAccessible, signIn } from "./helpers";

const DAY = 24 * 3_600_000;

test.describe("test clock", () => {
  test("the admin moves the test clock forward a day on the development page and the app's time follows", async ({
    page,
  }) => {
    await signIn(page, ADMIN);
    await page.goto("/admin/dev/clock");
    await expectAccessible(page);
    const offsetBefore = await page.getByTestId("clock-offset").innerText();
    await page.getByRole("button", { name: "+1 day" }).click();
    await expect(page.getByText(/The clock now reads/)).toBeVisible();
    await expect(page.getByTestId("clock-offset")).not.toHaveText(offsetBefore);
    await expect(page.getByTestId("clock-offset")).toContainText("day");
    await expectAccessible(page);
  });

  test("the test helper moves the clock too: the dashboard shows the moved time", async ({ page }) => {
    await signIn(page, ADMIN);
    const moved = await advanceTestClock(400 * DAY);
    await page.goto("/dashboard");
    const shown = page.getByText(/\d{4}, \d{1,2}:\d{2}:\d{2}/);
    await expect(shown).toContainText(String(moved.getUTCFullYear()));
    expect(moved.getUTCFullYear()).toBeGreaterThan(new Date().getUTCFullYear());
  });

  test("the clock never goes back: an earlier target is refused with a clear message", async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto("/admin/dev/clock");
    await page.getByLabel("Date and time (your time zone)").fill("2020-01-01T10:00:00");
    await page.getByRole("button", { name: "Advance", exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: "only moves forward" })).toHaveText(
      "The clock only moves forward: choose a later time.",
    );
  });
});
