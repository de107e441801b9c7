import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "../support/clock";
import { expectAccessible, expectNoPageOverflow, PASSWORD, signIn, signUp, uniqueEmail } from "./helpers";
import { createKeyOnPage, newLiteSubscriber } from "./quota-helpers";

test.describe("connect your tool", () => {
  test("CONNECT-1: from the new-key panel to copy-ready settings, and a real test call: the answer, then GLM-5's refusal on Lite with its meaning @phone", async ({
    page,
    browser,
    baseURL,
  }, info) => {
    // Sign-up, credits and a subscription come first, on a machine shared with other runs.
    test.setTimeout(180_000);
    await newLiteSubscriber(page, browser, "connect");
    const secret = await createKeyOnPage(page, "connect laptop");
    await page.getByTestId("new-key").getByRole("link", { name: "Next: connect your coding tool" }).click();
    await expect(page.getByRole("heading", { name: "Connect your tool", level: 1 })).toBeVisible();
    await expect(page.getByTestId("connect-tier")).toContainText("Your Lite plan may call: glm-4.7");
    await expect(page.getByTestId("connect-tier")).not.toContainText("glm-5");
    await expect(page.getByTestId("base-anthropic").locator("pre")).toHaveText(`${baseURL}/api/anthropic`);
    await expect(page.getByTestId("base-openai").locator("pre")).toHaveText(`${baseURL}/api/coding/paas/v4`);
    for (const tool of [
      "Claude Code",
      "Cline",
      "OpenCode",
      "Kilo Code",
      "Roo Code",
      "Crush",
      "Goose",
      "OpenAI SDK",
      "Anthropic SDK",
    ])
      await expect(page.getByRole("heading", { name: tool, level: 2, exact: true })).toBeVisible();
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    if (info.project.name === "desktop")
      await page.screenshot({ path: info.outputPath("connect.png"), fullPage: true });

    // Copy the Claude Code settings: what lands on the clipboard is the block shown, with this deployment's URL.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const claude = page.getByTestId("tool-claude-code");
    await claude.getByRole("button", { name: "Copy Settings for Claude Code" }).click();
    await expect(claude.getByText("Copied to the clipboard.")).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`export ANTHROPIC_BASE_URL=${baseURL}/api/anthropic`);
    expect(copied).toContain("export ANTHROPIC_MODEL=glm-4.7");

    // The test call: one real call through the gateway with the pasted key.
    await page.getByLabel("API key").fill(secret);
    await page.getByLabel("Model").selectOption("glm-4.7");
    await page.getByRole("button", { name: "Test my key" }).click();
    const result = page.getByTestId("test-result");
    await expect(result).toContainText(
      /It works: \S+ answered on the OpenAI-compatible \(chat completions\) endpoint\./,
    );
    await page.getByLabel("Endpoint").selectOption("anthropic");
    await page.getByLabel("API key").fill(secret);
    await page.getByLabel("Model").selectOption("glm-4.7");
    await page.getByRole("button", { name: "Test my key" }).click();
    await expect(result).toContainText("answered on the Anthropic-compatible (messages) endpoint.");
    // QUOTA-5 through the same path: GLM-5 is not on Lite (the page offers only the tier's models, so ask as a tool would).
    await page.getByLabel("Model").evaluate((el: HTMLSelectElement) => el.add(new Option("glm-5", "glm-5")));
    await page.getByLabel("API key").fill(secret);
    await page.getByLabel("Model").selectOption("glm-5");
    await page.getByRole("button", { name: "Test my key" }).click();
    await expect(result).toContainText("Refused with code 1311 (HTTP 400).");
    await expect(result).toContainText("Your plan's tier may not call this model (GLM-5 needs Pro or Max).");
    await expectAccessible(page);
    // A key that is not one's own makes no call.
    await page.getByLabel("API key").fill("cp_not_a_key_of_mine_at_all_000000");
    await page.getByLabel("Model").selectOption("glm-4.7");
    await page.getByRole("button", { name: "Test my key" }).click();
    await expect(result).toContainText("This is not one of your keys");
    expect(await page.content()).not.toContain(secret);
  });

  test.describe("in Chinese", () => {
    test.use({ locale: "zh-CN" });
    test("CONNECT-1: 无套餐的用户看到设置，测试密钥得到 1309 及其中文含义 @phone", async ({ page }) => {
      await signUp(page, uniqueEmail("connect-zh"));
      const secret = await createKeyOnPage(page, "笔记本");
      await page.getByTestId("new-key").getByRole("link", { name: "下一步：连接你的编码工具" }).click();
      await expect(page.getByRole("heading", { name: "连接你的工具", level: 1 })).toBeVisible();
      await expect(page.getByTestId("connect-tier")).toContainText("你还没有有效的套餐");
      await expectAccessible(page);
      await expectNoPageOverflow(page);
      await page.getByLabel("API 密钥").fill(secret);
      await page.getByRole("button", { name: "测试我的密钥" }).click();
      const result = page.getByTestId("test-result");
      await expect(result).toContainText("被拒绝，错误码 1309（HTTP 403）。");
      await expect(result).toContainText("此密钥没有有效的套餐");
      await expectAccessible(page);
    });
  });
});

test.describe("operator dashboard", () => {
  test("ADMIN-1: an admin reads the operations dashboard, in English and in Chinese @phone", async ({ page }, info) => {
    test.setTimeout(120_000);
    // An admin of its own, so switching the language never switches it for journeys running beside this one.
    const email = uniqueEmail("ops-admin");
    await signUp(page, email, "Ops Admin");
    await promote(email);
    await page.context().clearCookies();
    await signIn(page, { email, password: PASSWORD });
    await page.goto("/admin");
    const board = page.getByTestId("ops-dashboard");
    await expect(board.getByRole("heading", { name: "Operations, last 30 days" })).toBeVisible();
    for (const title of [
      "Active subscriptions by tier and region",
      "New, upgraded, downgraded and lapsed per day",
      "Revenue per day (plans, renewals, upgrades and packs)",
      "Renewals failing in dunning",
      "Gateway calls per day",
      "Top keys by use",
    ])
      await expect(board.getByRole("heading", { name: title })).toBeVisible();
    // The seeded demo subscribers are live: the active count per tier is read from the database.
    await expect(page.getByTestId("ops-active").getByRole("table")).toBeVisible();
    await expect(page.getByTestId("ops-active").locator("svg.recharts-surface").last()).toBeVisible();
    await expectAccessible(page);
    await expectNoPageOverflow(page);
    if (info.project.name === "desktop")
      await page.screenshot({ path: info.outputPath("dashboard.png"), fullPage: false });

    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(board.getByRole("heading", { name: "运营概况（最近 30 天）" })).toBeVisible();
    await expect(board.getByRole("heading", { name: "每日网关调用" })).toBeVisible();
    await expectAccessible(page);
  });
});

async function promote(email: string) {
  const c = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await c.connect();
  await c.query(`UPDATE users SET role = 'admin' WHERE email = $1`, [email]);
  await c.end();
}
