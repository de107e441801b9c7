import { expect, test } from "@playwright/test";
import { confirmSignUp, expectAccessible, signIn, uniqueEmail } from "./helpers";

test.describe("two languages", () => {
  test("the switcher turns the sign-in page into Chinese, and it passes the accessibility scan @phone", async ({
    page,
  }) => {
    await page.goto("/sign-in");
    await expect(page.getByRole("heading", { name: "Sign in to CodePlan" })).toBeVisible();
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.getByRole("heading", { name: "登录 CodePlan" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expectAccessible(page);
    // Errors are localized too.
    await page.getByRole("button", { name: "发送登录链接" }).click();
    await expect(page.getByText("请输入有效的邮箱地址。")).toBeVisible();
  });

  test("a browser asking for Chinese gets Chinese before any choice", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "您的 AI 编程套餐，一处管理" })).toBeVisible();
    await context.close();
  });

  test("the choice is remembered per user: it follows the account into a new browser", async ({ page, browser }) => {
    const email = uniqueEmail("lang");
    await page.goto("/sign-up");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill("a long password 1");
    await page.getByRole("button", { name: "Create account" }).click();
    await confirmSignUp(page, email);
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.getByRole("heading", { name: `欢迎，${email}` })).toBeVisible();
    await expectAccessible(page);

    // A new browser (English by default, no cookies) signs in: the account's Chinese wins.
    const fresh = await browser.newContext({ locale: "en-US" });
    const other = await fresh.newPage();
    await signIn(other, { email, password: "a long password 1" });
    await expect(other.getByRole("heading", { name: `欢迎，${email}` })).toBeVisible();
    await fresh.close();
  });

  test("dates are shown in the viewer's time zone and locale", async ({ browser }) => {
    const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
    const page = await context.newPage();
    await signIn(page, { email: "wang.fang@example.cn", password: "codeplan-demo" });
    await expect(page.getByText("按您的时区显示：Asia/Shanghai")).toBeVisible();
    await expect(page.getByText(/\d{4}年\d{1,2}月\d{1,2}日/).first()).toBeVisible();
    await context.close();
  });
});
