import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export const ADMIN = { email: "admin@codeplan.local", password: "codeplan-admin" };
export const SUBSCRIBER = { email: "alice@example.com", password: "codeplan-demo" };

export function uniqueEmail(tag: string) {
  return `${tag}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Fails the test on any WCAG 2.1 A/AA violation on the current page. */
export async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel(/^(E-mail|邮箱)$/).first().fill(who.email);
  await page.getByLabel(/^(Password|密码)$/).fill(who.password);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL("**/dashboard");
}
