import AxeBuilder from "@axe-core/playwright";
import { expect, request, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";

export const ADMIN = { email: "admin@codeplan.local", password: "codeplan-admin" };
export const SUBSCRIBER = { email: "alice@example.com", password: "codeplan-demo" };

export function uniqueEmail(tag: string) {
  return `${tag}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Fails the test on any WCAG 2.1 A/AA violation on the current page. */
export async function expectAccessible(page: Page) {
  // After a client-side navigation Next sets the new page's title a moment later: scan once it is there
  // (a page that never gets one still fails, on the wait).
  await expect(page).toHaveTitle(/\S/);
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page
    .getByLabel(/^(E-mail|邮箱)$/)
    .first()
    .fill(who.email);
  await page.getByLabel(/^(Password|密码)$/).fill(who.password);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL("**/dashboard");
}

export const PASSWORD = "a long password 1";

/**
 * The newest link to `path` e-mailed to `email`, read from the development
 * mailbox as this machine (the mailbox answers only on loopback, SEC-4, and
 * a page may carry a forwarded address of elsewhere).
 */
export async function emailedLink(page: Page, email: string, path = "/api/auth/callback/email"): Promise<string> {
  const api = await request.newContext({ baseURL: new URL(page.url()).origin });
  try {
    for (let i = 0; i < 40; i++) {
      const html = await (await api.get("/dev/mailbox")).text();
      const mail = html
        .split('data-testid="mail"')
        .slice(1)
        .find((block) => block.includes(`>${email}<`));
      const href = mail?.match(new RegExp(`href="([^"]*${path.replaceAll("/", "\\/")}[^"]*)"`))?.[1];
      if (href) return href.replaceAll("&amp;", "&");
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no link to ${path} was mailed to ${email}`);
  } finally {
    await api.dispose();
  }
}

/** After "Create account": the visitor is told to read their mail, follows the link in it and is signed in (SEC-2). */
export async function confirmSignUp(page: Page, email: string) {
  await page.waitForURL("**/sign-in/check-email");
  await page.goto(await emailedLink(page, email));
  await page.waitForURL("**/dashboard");
}

/** Signs a new visitor up; lands on the dashboard, signed in. */
export async function signUp(page: Page, email: string, name = "Billing Tester") {
  await page.goto("/sign-up");
  await page.getByLabel(/^(Name \(optional\)|姓名（选填）)$/).fill(name);
  await page.getByLabel(/^(E-mail|邮箱)$/).fill(email);
  await page.getByLabel(/^(Password|密码)$/).fill(PASSWORD);
  await page.getByRole("button", { name: /^(Create account|创建账号)$/ }).click();
  await confirmSignUp(page, email);
}

/** The demo admin grants credits to a customer through the admin customer page (WALLET-2). */
export async function grantCredits(
  browser: Browser,
  email: string,
  amount: string,
  check?: (page: Page) => Promise<void>,
) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, ADMIN);
  await page.goto("/admin");
  await page.getByRole("link", { name: email }).click();
  await page.getByLabel(/^Amount/).fill(amount);
  await page.getByLabel("Reason").fill("Welcome credits for the journey");
  await page.getByRole("button", { name: "Grant credits" }).click();
  await expect(page.getByRole("status")).toHaveText("Credits granted.");
  await check?.(page);
  await context.close();
}

/** The page's own alerts (Next adds an empty route announcer with role=alert). */
export function alerts(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}

/** The page has no sideways scroll of its own: wide content scrolls inside its own region. */
export async function expectNoPageOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

/** The one row a query finds in the app's database; fails the test on none or several. */
export async function onlyRow<T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T> {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    const { rows } = await c.query<T>(sql, params);
    expect(rows).toHaveLength(1);
    return rows[0];
  } finally {
    await c.end();
  }
}
