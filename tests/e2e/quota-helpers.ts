import { randomUUID } from "node:crypto";
import { expect, type Browser, type Page } from "@playwright/test";
import { testClock } from "../../lib/clock/clock";
import { createDb } from "../../lib/db/client";
import { consume, quotaContextFor, type Decision } from "../../lib/quota";
import { e2eDatabaseUrl } from "../support/clock";
import { grantCredits, signUp, uniqueEmail } from "./helpers";

/** A new subscriber on Lite (current version: 80 prompts per 5 hours, 400 a week, 100 tool calls a month), paid from granted credits. */
export async function newLiteSubscriber(page: Page, browser: Browser, tag: string): Promise<string> {
  const email = uniqueEmail(tag);
  await signUp(page, email);
  await subscribeToLite(page, browser, email);
  return email;
}

/** The signed-in user `email` (without a plan) subscribes to Lite monthly, paid from credits the admin grants. */
export async function subscribeToLite(page: Page, browser: Browser, email: string) {
  await grantCredits(browser, email, "50");
  await page.goto("/subscription/checkout?tier=lite&cycle=monthly");
  await page.getByRole("button", { name: "Confirm and pay" }).click();
  await page.waitForURL("**/subscription?notice=subscribed");
}

/** Creates a key on the keys screen and reads its secret from the one-time panel. */
export async function createKeyOnPage(page: Page, name: string): Promise<string> {
  await page.goto("/keys");
  await page.getByLabel(/^(Key name|密钥名称)$/).fill(name);
  await page.getByRole("button", { name: /^(Create key|创建密钥)$/ }).click();
  const secret = (await page.getByTestId("new-key-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^cp_[A-Za-z0-9_-]{32}$/);
  return secret;
}

export type Use = "prompt" | "vision" | "web_search" | "web_reader";

/**
 * Spends quota with `secret` as the gateway would, through the domain on the
 * e2e app's database, at the app's (test) clock. Answers each decision and
 * the moment they were taken.
 */
export async function spend(secret: string, uses: [Use, number][]): Promise<{ at: Date; decisions: Decision[] }> {
  const db = createDb(e2eDatabaseUrl());
  // No LISTEN connection (null URL): the cache then trusts nothing and reads every key afresh.
  const ctx = quotaContextFor(db, null);
  try {
    const at = await testClock(db).now();
    const decisions: Decision[] = [];
    for (const [kind, count] of uses)
      for (let i = 0; i < count; i++)
        decisions.push(await consume(ctx, { key: secret, model: "glm-4.7", kind, requestId: randomUUID() }, at));
    return { at, decisions };
  } finally {
    await ctx.cache.stop();
    await db.$disconnect();
  }
}

/** The reset time as the usage screen words it: time only when it falls on the same day in that zone, else with the date. */
export function shownResetTime(at: Date, now: Date, timeZone: string, locale: string): string {
  const day = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone, dateStyle: "short" }).format(d);
  const options: Intl.DateTimeFormatOptions =
    day(at) === day(now) ? { timeStyle: "short", timeZone } : { dateStyle: "medium", timeStyle: "short", timeZone };
  return new Intl.DateTimeFormat(locale, options).format(at);
}
