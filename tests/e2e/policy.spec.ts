import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  ADMIN,
  PASSWORD,
  alerts,
  expectAccessible,
  expectNoPageOverflow,
  signIn,
  signUp,
  uniqueEmail,
} from "./helpers";
import { policySettings } from "../../lib/policy/config";
import { keyDevices } from "../../lib/policy/rules/key-devices";
import { subscriptionSharing } from "../../lib/policy/rules/subscription-sharing";
import { banForViolations, promoteToAdmin, recordKeySharing, recordRule } from "./policy-helpers";
import { createKeyOnPage, subscribeToLite } from "./quota-helpers";

const REVIEW_REQUESTED = "Review requested. An administrator will look at it; you will hear back here and by e-mail.";
const REASON_REQUIRED = "Give a reason: the decision is recorded with it.";

/** A new subscriber on Lite with a key named "laptop", caught sharing it: one open violation, the plan throttled. */
async function subscriberWithViolation(page: Page, browser: Browser, tag: string) {
  const email = uniqueEmail(tag);
  await signUp(page, email);
  await subscribeToLite(page, browser, email);
  await createKeyOnPage(page, "laptop");
  const { outcome } = await recordKeySharing(email);
  expect(outcome).toBe("recorded");
  return email;
}

/** A subscriber's open violation, without a plan (enough for the screens that only show it). */
async function violationOnly(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  await signUp(page, email);
  await recordKeySharing(email);
  return email;
}

function customerCard(page: Page, email: string) {
  return page.getByRole("article", { name: email, exact: true });
}

async function adminPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, ADMIN);
  return { context, page };
}

/**
 * An admin of its own, so switching its language never switches it for the
 * journeys running beside this one (the choice is saved on the account).
 */
async function ownAdminPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = uniqueEmail("policy-admin");
  await signUp(page, email, "Policy Admin");
  await promoteToAdmin(email);
  await context.clearCookies();
  await signIn(page, { email, password: PASSWORD });
  return { context, page };
}

test.describe("usage policy", () => {
  test("POLICY-2: a subscriber sees the notice and the policy page, asks for a review; the admin reverses it with a reason and the subscriber sees it reversed", async ({
    page,
    browser,
  }) => {
    const email = await subscriberWithViolation(page, browser, "policy");

    // The notice on the dashboard leads to the policy page.
    await page.goto("/dashboard");
    const notice = page
      .getByTestId("notices")
      .getByRole("listitem")
      .filter({ hasText: "Usage-policy violation: your plan is throttled" });
    await expect(notice).toContainText("one API key was used from more networks at once than one person would use");
    await notice.getByRole("link", { name: "See the usage policy" }).click();
    await page.waitForURL("**/policy");
    await expect(page.getByRole("heading", { name: "Usage policy", level: 1 })).toBeVisible();
    await expect(page.getByTestId("throttle-state")).toContainText("Your plan is throttled until");
    await expect(page.getByText("1 violation counts towards a ban; the account is banned at 3.")).toBeVisible();
    await expect(page.getByText("at most 1 call at a time and 3 prompts a minute")).toBeVisible();
    const violation = page.getByTestId("violations").getByRole("article");
    await expect(violation).toHaveCount(1);
    await expect(violation).toContainText("Open");
    await expect(violation).toContainText("Your key “laptop” was used from 4 different networks within 10 minutes");

    // A note over 2000 characters is refused and kept; a short one is sent.
    const note = violation.getByLabel("Note for the reviewer (optional)");
    await note.fill("x".repeat(2001));
    await violation.getByRole("button", { name: /^Ask for a review/ }).click();
    await expect(alerts(page)).toHaveText("The note can be at most 2000 characters.");
    await expect(note).toHaveValue("x".repeat(2001));
    await note.fill("I work from home, the office and the train: it is only me.");
    await violation.getByRole("button", { name: /^Ask for a review/ }).click();
    await expect(page.getByRole("status")).toHaveText(REVIEW_REQUESTED);
    await expect(violation).toContainText("Review requested");
    await expect(violation).toContainText("Your note: I work from home, the office and the train: it is only me.");
    await expect(violation.getByRole("button", { name: /^Ask for a review/ })).toHaveCount(0);

    // The admin sees it first in the queue, as review requested, with the note; a reason is required.
    const admin = await adminPage(browser);
    const stale = await admin.context.newPage();
    await admin.page.goto("/admin");
    await admin.page
      .getByRole("navigation", { name: "Admin sections" })
      .getByRole("link", { name: "Policy violations" })
      .click();
    await expect(admin.page.getByRole("heading", { name: "Usage-policy violations", level: 1 })).toBeVisible();
    await stale.goto("/admin/violations");
    const card = customerCard(admin.page, email);
    await expect(card).toContainText("Review requested");
    await expect(card).toContainText("Subscriber's note: I work from home, the office and the train: it is only me.");
    await expect(card).toContainText("Throttled until");
    await expect(card).toContainText("203.0.113.0/24");
    await expect(card.getByRole("link", { name: email })).toHaveAttribute(
      "href",
      /^\/admin\/customers\/[0-9a-f-]{36}$/,
    );
    await card.getByRole("button", { name: /^Reverse/ }).click();
    await expect(alerts(admin.page)).toHaveText(REASON_REQUIRED);
    await card.getByLabel(/^Reason/).fill("Checked the networks: one person travelling.");
    await card.getByRole("button", { name: /^Reverse/ }).click();
    await expect(admin.page.getByRole("status")).toHaveText(
      "Violation reversed. It no longer counts, and the subscriber was told.",
    );
    await expect(customerCard(admin.page, email)).toHaveCount(0);

    // The same decision from a page opened before it: refused as already decided.
    const staleCard = customerCard(stale, email);
    await staleCard.getByLabel(/^Reason/).fill("Upholding after all");
    await staleCard.getByRole("button", { name: /^Uphold/ }).click();
    await expect(alerts(stale)).toHaveText(
      "This violation was already decided, perhaps by another administrator. Reload the page to see the decision.",
    );

    await admin.page.getByLabel("State", { exact: true }).selectOption({ label: "Reversed" });
    await admin.page.getByRole("button", { name: "Show" }).click();
    await expect(customerCard(admin.page, email)).toContainText(`Reversed by ${ADMIN.email}`);
    await expect(customerCard(admin.page, email)).toContainText("Reason: Checked the networks: one person travelling.");
    await admin.context.close();

    // The subscriber sees the decision and its reason; the throttle is lifted.
    await page.goto("/policy");
    await expect(violation).toContainText("Reversed");
    await expect(violation).toContainText(": it no longer counts.");
    await expect(violation).toContainText("Reason: Checked the networks: one person travelling.");
    await expect(page.getByTestId("throttle-state")).toHaveText("Your plan is not throttled.");
    await page.goto("/dashboard");
    await expect(page.getByTestId("notices")).toContainText("it was taken back and no longer counts");
  });

  test("POLICY-2: the third violation bans; sign-in says why, and an admin lifts the ban from the customer page with a reason", async ({
    page,
    browser,
  }) => {
    const email = uniqueEmail("banned");
    await signUp(page, email);
    const userId = await banForViolations(email);

    const visitor = await browser.newContext();
    const signInPage = await visitor.newPage();
    await signInPage.goto("/sign-in");
    await signInPage
      .getByLabel(/^E-mail$/)
      .first()
      .fill(email);
    await signInPage.getByLabel(/^Password$/).fill(PASSWORD);
    await signInPage.getByRole("button", { name: /^Sign in$/ }).click();
    await expect(alerts(signInPage)).toHaveText(
      "This account is banned after repeated usage-policy violations or a fraud decision. The e-mail we sent you gives the reason; reply to it to ask for a review.",
    );

    const admin = await adminPage(browser);
    await admin.page.goto(`/admin/customers/${userId}`);
    const section = admin.page.getByTestId("customer-policy");
    await expect(section).toContainText("The account is banned.");
    await expect(section.getByRole("listitem")).toHaveCount(3);
    await section.getByRole("button", { name: /^Lift ban/ }).click();
    await expect(alerts(admin.page)).toHaveText(REASON_REQUIRED);
    await section.getByLabel(/^Reason/).fill("Talked with the customer; one shared office network.");
    await section.getByRole("button", { name: /^Lift ban/ }).click();
    await expect(section.getByRole("status")).toHaveText("Ban lifted: the account and its API keys work again.");
    await expect(section).toContainText("The account is not banned.");
    await admin.page.getByRole("link", { name: "Decide this customer's violations in the queue" }).click();
    await expect(customerCard(admin.page, email).getByTestId("admin-violation")).toHaveCount(3);
    await admin.context.close();

    await signIn(signInPage, { email, password: PASSWORD });
    await visitor.close();
  });

  test("POLICY-3: a key on many devices and keys shared among many client sessions show their evidence on the policy page and in the admin queue, in English and Chinese, at phone width", async ({
    page,
    browser,
  }) => {
    // Sign-up, a plan, two keys, then two screens in two languages each.
    test.slow();
    const email = uniqueEmail("policy-3");
    await signUp(page, email);
    await subscribeToLite(page, browser, email);
    await createKeyOnPage(page, "laptop");
    await createKeyOnPage(page, "ci-runner");
    const call = (keyId: string, now: Date, i: number) => ({
      at: new Date(now.getTime() - (i + 1) * 30_000),
      keyId,
      client: "claude-cli",
      network: "203.0.113.0/24",
      agentShaped: true,
    });
    // The first a quiet period earlier, so the second is a violation of its own rather than moving the first one's throttle on.
    const devices = await recordRule(
      email,
      keyDevices,
      ([newest], now, s) =>
        Array.from({ length: s.maxDevicesPerKey + 1 }, (_, i) => ({ ...call(newest, now, i), device: `device-${i}` })),
      { hoursAgo: policySettings().throttle.quietHours + 1 },
    );
    expect(devices.outcome).toBe("recorded");
    const clients = await recordRule(email, subscriptionSharing, (keyIds, now, s) =>
      Array.from({ length: s.perSubscription.maxClients + 1 }, (_, i) => ({
        ...call(keyIds[i % 2], now, i),
        clientId: `session-${i}`,
      })),
    );
    expect(clients.outcome).toBe("recorded");
    const { maxDevicesPerKey, perSubscription } = policySettings().sharing;

    await page.setViewportSize({ width: 375, height: 740 });
    await page.goto("/policy");
    const evidence = page.getByTestId("violations");
    await expect(
      evidence.getByText(new RegExp(`Your key “ci-runner” was used from ${maxDevicesPerKey + 1} different devices`)),
    ).toBeVisible();
    await expect(
      evidence.getByText(
        new RegExp(
          `2 of your API keys together were used by ${perSubscription.maxClients + 1} different client sessions`,
        ),
      ),
    ).toBeVisible();
    await expectNoPageOverflow(page);
    await expectAccessible(page);
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(
      evidence.getByText(new RegExp(`您的密钥“ci-runner”在 \\d+ 分钟内于 ${maxDevicesPerKey + 1} 台不同设备上使用`)),
    ).toBeVisible();
    await expect(
      evidence.getByText(
        new RegExp(`您的 2 个 API 密钥合计在 \\d+ 分钟内被 ${perSubscription.maxClients + 1} 个不同的客户端会话使用`),
      ),
    ).toBeVisible();
    await expectNoPageOverflow(page);
    await expectAccessible(page);

    const admin = await ownAdminPage(browser);
    await admin.page.goto("/admin/violations");
    const card = customerCard(admin.page, email);
    await expect(card.getByRole("heading", { name: "Many devices on a key" })).toBeVisible();
    await expect(card.getByRole("heading", { name: "Sharing across keys" })).toBeVisible();
    await expect(card.getByText(new RegExp(`Key ci-runner used from ${maxDevicesPerKey + 1} devices`))).toBeVisible();
    await expect(
      card.getByText(new RegExp(`2 keys together used by ${perSubscription.maxClients + 1} distinct clients`)),
    ).toBeVisible();
    await expectAccessible(admin.page);
    await admin.page.getByLabel("Language").selectOption("zh-CN");
    await expect(card.getByRole("heading", { name: "单个密钥设备过多" })).toBeVisible();
    await expect(card.getByRole("heading", { name: "跨密钥共享" })).toBeVisible();
    await expectAccessible(admin.page);
    await admin.context.close();
  });

  test("the policy page and the violations queue pass the accessibility scan in English and Chinese", async ({
    page,
    browser,
  }) => {
    await violationOnly(page, "policy-a11y");
    await page.goto("/policy");
    await expect(page.getByRole("button", { name: /^Ask for a review/ })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.getByRole("heading", { name: "使用政策", level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: /^申请复核/ })).toBeVisible();
    await expectAccessible(page);

    const admin = await ownAdminPage(browser);
    await admin.page.goto("/admin/violations");
    await expect(admin.page.getByTestId("admin-violation").first()).toBeVisible();
    await expectAccessible(admin.page);
    await admin.page.getByLabel("Language").selectOption("zh-CN");
    await expect(admin.page.getByRole("heading", { name: "使用政策违规", level: 1 })).toBeVisible();
    await expect(admin.page.getByRole("button", { name: /^撤销/ }).first()).toBeVisible();
    await expectAccessible(admin.page);
    await admin.context.close();
  });

  test("the policy page fits a phone: the review form is usable and nothing scrolls sideways @phone", async ({
    page,
  }) => {
    await violationOnly(page, "policy-phone");
    await page.goto("/policy");
    const form = page.getByTestId("violations").getByRole("article");
    await expect(page.getByTestId("throttle-state")).toBeVisible();
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(width);
    await form.getByLabel("Note for the reviewer (optional)").fill("Only me, on my phone and laptop.");
    await form.getByRole("button", { name: /^Ask for a review/ }).click();
    await expect(page.getByRole("status")).toHaveText(REVIEW_REQUESTED);
    await expectAccessible(page);
  });
});
