import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { ADMIN, PASSWORD, SUBSCRIBER, alerts, expectAccessible, signIn, signUp, uniqueEmail } from "./helpers";

const SELF_DEVICE = "Self-referral: the friend uses the inviter's device";
const REASON_REQUIRED = "Give a reason to reject a reward or to ban an inviter.";

/**
 * An inviter signs up and reads their code on /referrals; then, in the same
 * browser, a friend opens the invite link and signs up. Every browser of the
 * e2e run is one machine, so the friend's device is the inviter's and the
 * self-referral rule flags the invitation at sign-up (REF-5).
 */
async function flaggedInvitation(browser: Browser) {
  const inviter = uniqueEmail("inviter");
  const friend = uniqueEmail("friend");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, inviter, "Inviter");
  await page.goto("/referrals");
  const code = await page.getByTestId("invite-code").getByRole("textbox").inputValue();
  expect(code).toMatch(/^[A-Z0-9]{8}$/);
  await context.clearCookies();
  await page.goto(`/r/${code}`);
  await page.waitForURL("**/sign-up?invite=yes");
  await signUp(page, friend, "Friend");
  await context.close();
  return { inviter, friend };
}

function card(page: Page, { inviter, friend }: { inviter: string; friend: string }) {
  return page.getByRole("article", { name: `${friend}, invited by ${inviter}` });
}

async function filterQueue(page: Page, filter: { rule?: string; state?: string }) {
  if (filter.rule) await page.getByLabel("Rule").selectOption({ label: filter.rule });
  if (filter.state) await page.getByLabel("State", { exact: true }).selectOption({ label: filter.state });
  await page.getByRole("button", { name: "Show" }).click();
}

test.describe("referral review queue", () => {
  test("REF-5: a self-referral is held in the queue with both accounts and its evidence; a reject without a reason is refused, and the admin releases it @phone", async ({
    page,
    browser,
  }) => {
    const pair = await flaggedInvitation(browser);

    await signIn(page, ADMIN);
    await page.goto("/admin");
    await expect(page.getByText(/open flags? waiting for review/)).toBeVisible();
    await page.getByRole("link", { name: "Open the review queue" }).click();
    await expect(page.getByRole("heading", { name: "Referral review queue", level: 1 })).toBeVisible();
    const flagged = card(page, pair);
    await expect(flagged).toBeVisible();
    await expect(flagged.getByRole("link", { name: pair.inviter })).toBeVisible();
    await expect(flagged.getByRole("link", { name: pair.friend })).toBeVisible();
    await expect(flagged).toContainText(SELF_DEVICE);
    await expect(flagged).toContainText("The friend signed up on a device the inviter has used:");
    await expect(flagged).toContainText("Invitation: Signed up, not paid yet");
    await expect(flagged).toContainText("(same as at the visit)");
    await expectAccessible(page);

    // Rejecting needs a reason: refused, said so on the field, and nothing changes.
    await flagged.getByRole("button", { name: /^Reject reward/ }).click();
    await expect(flagged.getByRole("alert")).toHaveText(REASON_REQUIRED);
    await expect(flagged.getByLabel(/^Reason/)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("status")).toHaveCount(0);
    await page.reload();
    await expect(flagged).toContainText("Open");
    await expect(flagged.getByRole("button", { name: /^Release reward/ })).toBeVisible();

    await flagged.getByLabel(/^Reason/).fill("Two flatmates on one laptop");
    await flagged.getByRole("button", { name: /^Release reward/ }).click();
    await expect(page.getByRole("status")).toHaveText("1 invitation released: its reward is issued when due.");
    // The default view is the open flags: a released one leaves it.
    await expect(flagged).toHaveCount(0);

    await filterQueue(page, { state: "Released" });
    await expect(page).toHaveURL(/state=released/);
    await expect(flagged).toContainText(`Released by ${ADMIN.email}`);
    await expect(flagged).toContainText("Reason: Two flatmates on one laptop");
    await expect(flagged.getByRole("button", { name: /^Release reward/ })).toHaveCount(0);
    await expectAccessible(page);
  });

  test("REF-5: the admin filters by rule, bans an inviter with a reason from the bulk bar, and the banned inviter can no longer sign in", async ({
    page,
    browser,
  }) => {
    const pair = await flaggedInvitation(browser);

    await signIn(page, ADMIN);
    await page.goto("/admin/referrals");
    await filterQueue(page, { rule: SELF_DEVICE });
    await expect(page).toHaveURL(/rule=self_referral_device/);
    const flagged = card(page, pair);
    await expect(flagged).toBeVisible();
    // Only the chosen rule's flags are listed.
    for (const other of ["Throw-away e-mail address", "Device or network shared by many accounts"])
      await expect(page.getByRole("article").filter({ hasText: other })).toHaveCount(0);

    // Nothing ticked: refused, and the reason typed stays for the next try.
    const bulk = page.getByRole("region", { name: "Decide for several invitations" });
    await bulk.getByLabel("Action").selectOption({ label: "Ban inviter" });
    await bulk.getByLabel("Reason").fill("Self-referral with a second account");
    await bulk.getByRole("button", { name: "Apply to the selected invitations" }).click();
    await expect(bulk.getByRole("alert")).toHaveText("Select at least one invitation first.");
    await expect(bulk.getByLabel("Reason")).toHaveValue("Self-referral with a second account");

    await page.getByRole("checkbox", { name: `Select the invitation of ${pair.friend}` }).check();
    await bulk.getByRole("button", { name: "Apply to the selected invitations" }).click();
    await expect(page.getByRole("status")).toHaveText("1 inviter banned: their rewards not yet issued are refused.");
    await expect(page).toHaveURL(/rule=self_referral_device/);
    await expect(flagged).toHaveCount(0);

    await filterQueue(page, { state: "Rejected" });
    await expect(flagged).toContainText(`Rejected by ${ADMIN.email}`);
    await expect(flagged).toContainText("Reason: Self-referral with a second account");
    await expect(flagged).toContainText("Invitation: No reward (inviter banned)");
    await expect(flagged.getByRole("definition").filter({ hasText: pair.inviter })).toContainText("Banned");

    const inviter = await browser.newContext();
    const inviterPage = await inviter.newPage();
    await inviterPage.goto("/sign-in");
    await inviterPage
      .getByLabel(/^E-mail$/)
      .first()
      .fill(pair.inviter);
    await inviterPage.getByLabel(/^Password$/).fill(PASSWORD);
    await inviterPage.getByRole("button", { name: /^Sign in$/ }).click();
    await expect(alerts(inviterPage)).toHaveText(
      /^This account is banned after repeated usage-policy violations or a fraud decision\./,
    );
    await inviter.close();
  });

  test("REF-5: the queue reads in Chinese and passes the accessibility scan", async ({ page, browser }) => {
    const pair = await flaggedInvitation(browser);
    // A second admin of its own: the language choice is saved on the account,
    // and switching the demo admin would switch it for every journey running beside this one.
    const admin = uniqueEmail("admin-zh");
    await signUp(page, admin, "Second Admin");
    const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
    await c.connect();
    await c.query(`UPDATE users SET role = 'admin' WHERE email = $1`, [admin]);
    await c.end();
    await page.context().clearCookies();
    // A new session carries the new role.
    await signIn(page, { email: admin, password: PASSWORD });
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

    await page.goto("/admin/referrals");
    await expect(page.getByRole("heading", { name: "邀请审核队列", level: 1 })).toBeVisible();
    const flagged = page.getByRole("article", { name: `${pair.friend}，由 ${pair.inviter} 邀请` });
    await expect(flagged).toContainText("自我邀请：好友使用邀请人的设备");
    await expect(flagged.getByRole("button", { name: /^放行奖励/ })).toBeVisible();
    await flagged.getByRole("button", { name: /^拒绝奖励/ }).click();
    await expect(flagged.getByRole("alert")).toHaveText("拒绝奖励或封禁邀请人时请填写理由。");
    await expectAccessible(page);
  });

  test("a subscriber and a visitor get 404 at /admin/referrals", async ({ page }) => {
    const visitor = await page.goto("/admin/referrals");
    expect(visitor?.status()).toBe(404);
    await signIn(page, SUBSCRIBER);
    const res = await page.goto("/admin/referrals");
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByText("Referral review queue")).toHaveCount(0);
  });
});
