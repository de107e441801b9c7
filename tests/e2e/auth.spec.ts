import { expect, test } from "@playwright/test";
import { confirmSignUp, expectAccessible, signIn, uniqueEmail } from "./helpers";

test.describe("sign-up, sign-in and sign-out", () => {
  test("a visitor signs up, lands on the dashboard, signs out and signs in again @phone", async ({ page }) => {
    const email = uniqueEmail("journey");
    await page.goto("/");
    await page.getByRole("link", { name: "Create an account" }).click();
    await expect(page.getByRole("heading", { name: "Create your CodePlan account" })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel("Name (optional)").fill("Journey Tester");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill("a long password 1");
    await page.getByRole("button", { name: "Create account" }).click();

    // SEC-2: the account is made when the e-mailed link is followed.
    await page.waitForURL("**/sign-in/check-email");
    await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
    await expectAccessible(page);
    await confirmSignUp(page, email);
    await expect(page.getByRole("heading", { name: "Welcome, Journey Tester" })).toBeVisible();
    await expect(page.getByText(email, { exact: true })).toBeVisible();
    await expectAccessible(page);

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await page.goto("/dashboard");
    await page.waitForURL("**/sign-in**");
    await expectAccessible(page);

    await signIn(page, { email, password: "a long password 1" });
    await expect(page.getByRole("heading", { name: "Welcome, Journey Tester" })).toBeVisible();
  });

  test("bad input is refused with clear messages and creates nothing", async ({ page }) => {
    await page.goto("/sign-up");
    await page.getByLabel("E-mail").fill("not-an-address");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a valid e-mail address.")).toBeVisible();
    await expect(page.getByText("The password must have at least 10 characters.")).toBeVisible();
    await expect(page.getByLabel("E-mail")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);
  });

  test("SEC-2: signing up with an address that has an account answers exactly as for a new one; only the mailbox owner learns which", async ({
    page,
  }) => {
    const answers: string[] = [];
    for (const email of ["ALICE@example.com", uniqueEmail("fresh")]) {
      await page.goto("/sign-up");
      await page.getByLabel("E-mail").fill(email);
      await page.getByLabel("Password").fill("a long password 1");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL("**/sign-in/check-email");
      answers.push(await page.locator("main").innerText());
    }
    expect(answers[0]).toBe(answers[1]);
    await page.goto("/dev/mailbox");
    await expect(
      page
        .getByTestId("mail")
        .filter({ hasText: "alice@example.com" })
        .filter({ hasText: "You already have a CodePlan account" }),
    ).toHaveCount(1);
  });

  test("a wrong password is refused, and repeated failures are throttled with the wait named", async ({ page }) => {
    const email = uniqueEmail("throttle");
    await page.goto("/sign-in");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("E-mail").first().fill(email);
      await page.getByLabel("Password").fill("wrong password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.locator("#sign-in-error")).toHaveText("The e-mail or password is not right.");
    }
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("#sign-in-error")).toHaveText(/Too many failed sign-ins\. Try again in \d+ seconds?\./);
    await expectAccessible(page);
  });

  test("a magic link from the development mailbox signs the visitor in, once", async ({ page }) => {
    const email = uniqueEmail("magic");
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").nth(1).fill(email);
    await page.getByRole("button", { name: "E-mail me a link" }).click();
    await page.waitForURL("**/sign-in/check-email");
    await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
    await page.getByRole("link", { name: "Open the development mailbox" }).click();
    await expectAccessible(page);
    const mail = page.getByTestId("mail").filter({ hasText: email });
    const link = await mail.getByRole("link").getAttribute("href");
    await page.goto(link!);
    await page.waitForURL("**/dashboard");
    await expect(page.getByText(email, { exact: true })).toBeVisible();

    // The same link again, in a fresh browser: refused.
    await page.context().clearCookies();
    await page.goto(link!);
    await expect(page.locator("#sign-in-error")).toHaveText(
      "This sign-in link has expired or was already used. Ask for a new one.",
    );
  });
});
