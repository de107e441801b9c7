import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { ADMIN, PASSWORD, SUBSCRIBER, alerts, expectAccessible, signIn, signUp, uniqueEmail } from "./helpers";
import { createKeyOnPage } from "./quota-helpers";

// Times on the page are compared with times formatted here: same zone on both sides.
test.use({ timezoneId: "UTC" });

const REASON_REQUIRED = "Give a reason (at least 3 characters).";

function adminNav(page: Page) {
  return page.getByRole("navigation", { name: "Admin sections" });
}

async function searchCustomers(page: Page, query: string) {
  await page.getByLabel("E-mail, name or key prefix").fill(query);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/customers\?q=/);
}

/** The page's width fits the phone's: nothing but the tables' own scrolling cards is wider than the screen. */
async function expectNoSidewaysScroll(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(width);
}

/** A second admin of its own, so switching the language never switches it for journeys running beside this one. */
async function newAdmin(page: Page, tag: string) {
  const email = uniqueEmail(tag);
  await signUp(page, email, "Console Admin");
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  await c.query(`UPDATE users SET role = 'admin' WHERE email = $1`, [email]);
  await c.end();
  await page.context().clearCookies();
  await signIn(page, { email, password: PASSWORD });
}

async function idOf(email: string): Promise<string> {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    return (await c.query<{ id: string }>(`SELECT id::text FROM users WHERE email = $1`, [email])).rows[0].id;
  } finally {
    await c.end();
  }
}

test.describe("admin console", () => {
  test("ADMIN, WALLET-2: an admin finds a customer by e-mail and by key prefix, adjusts credits with a reason, and finds the movement and the audit entry", async ({
    page,
    browser,
  }) => {
    test.setTimeout(150_000);
    const email = uniqueEmail("console");
    const customer = await browser.newContext({ timezoneId: "UTC" });
    const customerPage = await customer.newPage();
    await signUp(customerPage, email, "Console Customer");
    const prefix = (await createKeyOnPage(customerPage, "build server")).slice(0, 11);
    await customer.close();

    await signIn(page, ADMIN);
    await page.goto("/admin");
    await adminNav(page).getByRole("link", { name: "Customers", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
    await expect(
      page.getByText("Type part of an e-mail address, a name or an API key prefix to find a customer."),
    ).toBeVisible();
    await expectAccessible(page);

    // By e-mail: part of it, in another case.
    await searchCustomers(page, email.split("@")[0].toUpperCase());
    const results = page.getByRole("region", { name: "Search results" });
    await expect(results.getByRole("link", { name: email })).toBeVisible();
    await expect(results.getByTestId("customer-hit")).toHaveCount(1);
    await expectAccessible(page);

    // Nobody: a clear empty state.
    await searchCustomers(page, "no-such-customer-anywhere");
    await expect(page.getByTestId("no-customers")).toHaveText("No customer matches “no-such-customer-anywhere”.");

    // By key prefix, pasted as the keys screen shows it.
    await searchCustomers(page, `${prefix}…`);
    await expect(results.getByTestId("customer-hit")).toHaveCount(1);
    await expect(results.getByTestId("customer-hit")).toContainText(`${prefix}…`);
    await results.getByRole("link", { name: email }).click();

    await expect(page.getByRole("heading", { name: "Console Customer", level: 1 })).toBeVisible();
    await expect(page.getByTestId("profile-email")).toHaveText(email);
    await expect(page.getByRole("region", { name: "API keys" }).getByTestId("customer-key")).toContainText(
      `${prefix}…build server`,
    );
    await expect(page.getByRole("region", { name: "Subscription" })).toContainText("No subscription.");
    await expectAccessible(page);
    const customerUrl = page.url();
    const customerId = customerUrl.split("/").pop()!;

    // No reason: refused on the field, and what was typed stays.
    const adjust = page.getByRole("region", { name: "Adjust credits" });
    await adjust.getByLabel("Amount (USD)").fill("12.50");
    await adjust.getByRole("button", { name: "Grant credits" }).click();
    await expect(adjust.getByLabel("Reason")).toHaveAttribute("aria-invalid", "true");
    await expect(adjust.getByText(REASON_REQUIRED)).toBeVisible();
    await expect(adjust.getByLabel("Amount (USD)")).toHaveValue("12.50");
    await expect(page.getByRole("status")).toHaveCount(0);
    await expectAccessible(page);

    await adjust.getByLabel("Reason").fill("Goodwill for the outage");
    await adjust.getByRole("button", { name: "Grant credits" }).click();
    await expect(page.getByRole("status")).toHaveText("Credits granted.");
    await expect(page.getByTestId("balance-USD").getByTestId("balance-credits")).toHaveText("$12.50");
    const movements = page.getByRole("region", { name: "Ledger movements" });
    await expect(movements.getByRole("row").nth(1)).toContainText("Credits granted — Goodwill for the outage");
    await expect(movements.getByRole("row").nth(1)).toContainText("$12.50");

    // More than the customer has: refused with the balance, nothing changes.
    await adjust.getByRole("radio", { name: "Remove credits" }).check();
    await adjust.getByLabel("Amount (USD)").fill("20");
    await adjust.getByLabel("Reason").fill("Correction of a double grant");
    await adjust.getByRole("button", { name: "Remove credits" }).click();
    await expect(alerts(page)).toHaveText(
      "The customer has only $12.50 of credits, and a removal cannot take them below zero. Nothing was changed.",
    );
    await expect(page.getByTestId("balance-USD").getByTestId("balance-credits")).toHaveText("$12.50");
    await expectAccessible(page);

    await adjust.getByLabel("Amount (USD)").fill("2.50");
    await adjust.getByRole("button", { name: "Remove credits" }).click();
    await expect(page.getByRole("status")).toHaveText("Credits removed.");
    await expect(page.getByTestId("balance-USD").getByTestId("balance-credits")).toHaveText("$10.00");
    await expect(movements.getByRole("row").nth(1)).toContainText("Credits removed — Correction of a double grant");
    await expect(movements.getByRole("row").nth(1)).toContainText("-$2.50");

    // The audit log, filtered to this customer's wallet actions by this admin.
    await adminNav(page).getByRole("link", { name: "Audit log", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    const filters = page.getByRole("search", { name: "Filter the audit log" });
    await filters.getByLabel("Action starts with").fill("wallet.");
    await filters.getByLabel("Actor e-mail").fill(ADMIN.email);
    await filters.getByLabel("Subject id").fill(customerId);
    await filters.getByLabel("From").fill("2020-01-01");
    await filters.getByLabel("To (inclusive)").fill("2100-12-31");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/action=wallet\./);
    const entries = page.getByTestId("audit-entry");
    await expect(entries).toHaveCount(2);
    await expect(entries.nth(0)).toContainText("wallet.remove_credits");
    await expect(entries.nth(0)).toContainText("before: creditsMinor: 1250 · currency: USD");
    await expect(entries.nth(0)).toContainText(
      "after: amountMinor: -250 · creditsMinor: 1000 · currency: USD · reason: Correction of a double grant",
    );
    await expect(entries.nth(1)).toContainText("wallet.grant_credits");
    await expect(entries.nth(1)).toContainText(ADMIN.email);
    await expect(entries.nth(1)).toContainText("before: creditsMinor: 0 · currency: USD");
    await expect(entries.nth(1)).toContainText("reason: Goodwill for the outage");
    await expectAccessible(page);

    // A date range that holds none of them: the empty state.
    await filters.getByLabel("To (inclusive)").fill("2020-01-02");
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByTestId("audit-empty")).toHaveText("No entries match these filters.");

    // The entry leads back to the customer.
    await page.getByRole("link", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/admin\/audit$/);
    await expect(filters.getByLabel("To (inclusive)")).toHaveValue("");
    await filters.getByLabel("Subject id").fill(customerId);
    await filters.getByRole("button", { name: "Filter" }).click();
    await entries.first().getByRole("link", { name: "customer" }).click();
    await expect(page).toHaveURL(customerUrl);
  });

  test("SUB-8: the stock page shows each tier's daily count, sold and left, and the next release in both zones", async ({
    page,
  }) => {
    await signIn(page, ADMIN);
    await page.goto("/admin");
    await adminNav(page).getByRole("link", { name: "Stock", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Daily stock", level: 1 })).toBeVisible();
    for (const tier of ["lite", "pro", "max"]) {
      const row = page.getByTestId(`stock-${tier}`);
      await expect(row.getByRole("cell")).toHaveCount(4);
      // Released at 10:00 in Shanghai, which is 02:00 UTC.
      await expect(row).toContainText(/2:00\s?AM \(Asia\/Shanghai .*10:00\s?AM\)/);
    }
    await expect(page.getByTestId("stock-day")).toContainText("This stock day started");
    await expectAccessible(page);
  });

  test("ADMIN: a seeded subscriber's page shows the plan, a paid invoice whose receipt opens, and the quota windows @phone", async ({
    page,
  }) => {
    await signIn(page, ADMIN);
    await page.goto("/admin/customers?q=alice");
    await expect(page.getByRole("link", { name: SUBSCRIBER.email })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);

    await page.getByRole("link", { name: SUBSCRIBER.email }).click();
    await expect(page.getByRole("heading", { name: "Alice Martin", level: 1 })).toBeVisible();
    await expect(page.getByTestId("sub-plan")).toHaveText("Pro · billed every month");
    await expect(page.getByRole("region", { name: "Usage" }).getByTestId("quota-windows")).toContainText(
      "Prompts, rolling 5 hours",
    );
    const receipt = page.getByRole("link", { name: /^PDF receipt for invoice (INTL|CN)-\d{4}-\d{6}$/ }).last();
    const answer = await page.request.get((await receipt.getAttribute("href"))!);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toBe("application/pdf");
    await expectNoSidewaysScroll(page);
    await expectAccessible(page);
  });

  test("ADMIN: the console reads in Chinese and passes the accessibility scan on every page", async ({ page }) => {
    await newAdmin(page, "console-zh");
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");

    await page.goto("/admin/customers");
    await expect(page.getByRole("heading", { name: "客户", level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.getByLabel("邮箱、姓名或密钥前缀").fill("alice");
    await page.getByRole("button", { name: "搜索", exact: true }).click();
    await expect(page.getByRole("region", { name: "搜索结果" })).toContainText("共有 1 位客户与“alice”匹配。");
    await expectAccessible(page);

    await page.goto(`/admin/customers/${await idOf(SUBSCRIBER.email)}`);
    await expect(page.getByRole("heading", { name: "调整赠金" })).toBeVisible();
    await expect(page.getByRole("button", { name: "发放赠金" })).toBeVisible();
    await page.getByRole("button", { name: "发放赠金" }).click();
    await expect(page.getByText("请填写原因（至少 3 个字符）。")).toBeVisible();
    await expectAccessible(page);

    await page.goto("/admin/audit?action=wallet.");
    await expect(page.getByRole("heading", { name: "审计日志", level: 1 })).toBeVisible();
    await expect(page.getByTestId("audit-entry").first()).toContainText("wallet.");
    await expectAccessible(page);

    await page.goto("/admin/stock");
    await expect(page.getByRole("heading", { name: "每日库存", level: 1 })).toBeVisible();
    await expectAccessible(page);
  });

  test("a subscriber and a visitor get 404 at the console's pages", async ({ page }) => {
    for (const path of ["/admin/customers", "/admin/audit", "/admin/stock"])
      expect((await page.goto(path))?.status()).toBe(404);
    await signIn(page, SUBSCRIBER);
    for (const path of ["/admin/customers?q=alice", "/admin/audit", "/admin/stock"]) {
      expect((await page.goto(path))?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }
  });
});
