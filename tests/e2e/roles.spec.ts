import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { PASSWORD, expectAccessible, expectNoPageOverflow, signIn, signUp, uniqueEmail } from "./helpers";

async function sql(text: string, params: unknown[]) {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  try {
    await c.query(text, params);
  } finally {
    await c.end();
  }
}

const setRole = (email: string, role: "admin" | "subscriber") =>
  sql(`UPDATE "users" SET "role" = $2 WHERE "email" = $1`, [email, role]);

/**
 * Every admin page, as its route, with where a client-side navigation to it
 * starts and the link it follows there. A new page under app/admin fails the
 * first test until it is added here (and so checked).
 */
const ADMIN_PAGES: Record<string, { from: string; link: string }> = {
  "/admin": { from: "/admin/stock", link: 'nav a[href="/admin"]' },
  "/admin/audit": { from: "/admin", link: 'nav a[href="/admin/audit"]' },
  "/admin/customers": { from: "/admin", link: 'nav a[href="/admin/customers"]' },
  "/admin/customers/[id]": { from: "/admin", link: 'main td a[href^="/admin/customers/"]' },
  "/admin/dev/clock": { from: "/admin", link: 'main a[href="/admin/dev/clock"]' },
  "/admin/referrals": { from: "/admin", link: 'nav a[href="/admin/referrals"]' },
  "/admin/stock": { from: "/admin", link: 'nav a[href="/admin/stock"]' },
  "/admin/violations": { from: "/admin", link: 'nav a[href="/admin/violations"]' },
};

function adminPageFiles(): string[] {
  const root = path.resolve("app/admin");
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "page.tsx")
    .map((f) => `/admin/${path.dirname(f).split(path.sep).join("/")}`.replace(/\/\.$/, ""))
    .sort();
}

async function expectRefused(page: Page) {
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByText("auth.sign_in")).toHaveCount(0);
}

test.describe("roles at every door", () => {
  test("SEC-1: the list of admin pages below is every page.tsx under app/admin", () => {
    expect(adminPageFiles()).toEqual(Object.keys(ADMIN_PAGES).sort());
  });

  test("SEC-1: an admin demoted in the database is refused by every admin page on client-side navigation and on load, and by the receipts route", async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const email = uniqueEmail("demoted-admin");
    await signUp(page, email, "Demoted Admin");
    await setRole(email, "admin");
    // The role goes into the token at sign-in, so this session's token says admin from here on.
    await page.context().clearCookies();
    await signIn(page, { email, password: PASSWORD });

    for (const [route, { from, link }] of Object.entries(ADMIN_PAGES)) {
      await setRole(email, "admin");
      await page.goto(from);
      await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Page not found");
      const target = page.locator(link).first();
      await expect(target).toBeVisible();
      await setRole(email, "subscriber");
      // A marker on window survives only a client-side navigation, which does not run the admin layout again.
      await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
      await target.click();
      await expect(page, route).toHaveURL(new RegExp(`${route.replace("[id]", "[0-9a-f-]{36}")}$`));
      await expectRefused(page);
      expect(
        await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
        `${route} was a client-side navigation`,
      ).toBe(true);
    }

    const customerId = page.url().match(/[0-9a-f-]{36}/)?.[0] ?? "00000000-0000-4000-8000-000000000000";
    for (const route of Object.keys(ADMIN_PAGES)) {
      const res = await page.goto(route.replace("[id]", customerId));
      expect(res?.status(), route).toBe(404);
      await expectRefused(page);
    }
    const receipt = await page.request.get(
      `/admin/customers/${customerId}/receipts/00000000-0000-4000-8000-000000000000`,
    );
    expect(receipt.status()).toBe(403);
    expect(await receipt.json()).toEqual({ error: { code: "forbidden", message: "Admins only." } });
  });

  test("SEC-1: sign out everywhere ends the other browser's session on its next navigation, and this one's at once @phone", async ({
    browser,
  }) => {
    const email = uniqueEmail("everywhere");
    const here = await browser.newContext();
    const there = await browser.newContext();
    const a = await here.newPage();
    const b = await there.newPage();
    await signUp(a, email, "Two Browsers");
    await signIn(b, { email, password: PASSWORD });

    await expectAccessible(a);
    await expectNoPageOverflow(a);
    const button = a.getByRole("button", { name: "Sign out everywhere" });
    await expect(a.getByRole("region", { name: "Sessions" })).toBeVisible();
    await button.click();
    await a.waitForURL("**/sign-in");

    // The other browser still shows its dashboard; its next client-side navigation is refused.
    await b.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Subscription" }).click();
    await b.waitForURL("**/sign-in");
    await b.goto("/dashboard");
    await b.waitForURL("**/sign-in");

    // A new sign-in after it is a session of its own.
    await signIn(a, { email, password: PASSWORD });
    await expect(a.getByRole("heading", { name: /Two Browsers/ })).toBeVisible();
    await here.close();
    await there.close();
  });

  test("SEC-1: sign out everywhere is offered in Chinese too (在所有设备上退出登录)", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await signUp(page, uniqueEmail("everywhere-zh"), "Zh User");
    await expect(
      page.getByRole("region", { name: "登录会话" }).getByRole("button", { name: "在所有设备上退出登录" }),
    ).toBeVisible();
    await expectAccessible(page);
    await context.close();
  });
});
