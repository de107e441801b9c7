import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { advanceTestClock } from "../support/clock";
import { alerts, expectAccessible, expectNoPageOverflow, onlyRow, signUp, uniqueEmail } from "./helpers";
import { createKeyOnPage } from "./quota-helpers";

/*
 * Pay-as-you-go from a resource pack to the daily record (BILL-1..4). Moves
 * the app's test clock by a day, so it runs in the billing-clock project and
 * alone (the built-in "-exclusive-" lock), like the other journeys that move
 * the clock.
 */
test.describe.configure({ mode: "default", lock: "-exclusive-" });
// Times on the page are compared with times formatted here: same zone on both sides.
test.use({ timezoneId: "UTC" });

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const shortTime = (d: Date) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(d);
const dayText = (d: Date) => new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(d);

async function packOf(email: string) {
  return onlyRow<{ activated_at: Date; expires_at: Date }>(
    "SELECT p.activated_at, p.expires_at FROM resource_packs p JOIN users u ON u.id = p.user_id WHERE u.email = $1",
    [email],
  );
}

test("BILL-1..4: a pack bought on the wallet pays a call; the billing page shows the day's record the next day, naming the pack, and the CSV has it", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const email = uniqueEmail("payg");
  await signUp(page, email);

  // Without a card a pack cannot be bought, and the page says so plainly.
  await page.goto("/wallet");
  const packs = page.getByRole("region", { name: "Resource packs" });
  await expect(packs.getByTestId("packs-paid-from")).toContainText("credits first, then your cash, then your card");
  await packs.getByRole("button", { name: "Buy Starter" }).click();
  await expect(alerts(page)).toHaveText("Add a card in your wallet first. Nothing was charged.");

  const method = page.getByRole("region", { name: "Payment method" });
  await method.getByLabel("Card number").fill("4242 4242 4242 4242");
  await method.getByLabel("Expiry (MM/YY)").fill("12/30");
  await method.getByLabel("Security code (CVC)").fill("123");
  await method.getByRole("button", { name: "Save card" }).click();
  await page.waitForURL((u) => u.pathname === "/wallet" && u.searchParams.get("notice") === "card_saved");

  await packs.getByRole("button", { name: "Buy Starter" }).click();
  await page.waitForURL((u) => u.pathname === "/wallet" && u.searchParams.get("notice") === "pack_bought");
  await expect(page.getByRole("status")).toHaveText("Your resource pack is paid and ready to use.");
  await expect(page.getByTestId("packs-USD")).toHaveText("$10.00");
  const bought = await packOf(email);
  const row = packs.getByTestId("my-pack");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Starter");
  await expect(row).toContainText("$10.00 of $10.00");
  await expect(row).toContainText(shortTime(bought.expires_at));
  await expect(row).toContainText("Active");
  await expectAccessible(page);

  // BILL-1: a call worth about 1.45 cents (the local responder counts about 24,000 prompt tokens, at $0.60 per million):
  // one whole cent is debited from the pack, the rest is carried, and the day's record shows the exact fee.
  const secret = await createKeyOnPage(page, "payg journey");
  const call = await request.post("/api/paas/v4/chat/completions", {
    headers: { authorization: `Bearer ${secret}` },
    data: { model: "glm-4.7", messages: [{ role: "user", content: "hi ".repeat(24_000) }] },
  });
  expect(call.status()).toBe(200);
  await expect(async () => {
    await page.goto("/wallet");
    await expect(page.getByTestId("packs-USD")).toHaveText("$9.99", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(row).toContainText("$9.99 of $10.00");

  // BILL-2: today's consumption is not listed today.
  await page.goto("/billing");
  const daily = page.getByRole("region", { name: "Daily API consumption" });
  await expect(daily.getByTestId("daily-intro")).toContainText("Today's consumption appears here tomorrow.");
  await expect(daily.getByTestId("no-daily")).toHaveText(
    "No API consumption yet. Calls made today appear here tomorrow.",
  );
  await expect(daily.getByTestId("daily-record")).toHaveCount(0);

  // A day and a quarter of an hour later (the rollup waits 10 minutes past midnight UTC), the worker has rolled the day up.
  await advanceTestClock(DAY + 15 * MINUTE);
  const record = daily.getByTestId("daily-record");
  await expect(async () => {
    await page.goto("/billing");
    await expect(record).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 30_000, intervals: [500, 1_000, 2_000] });
  await expect(record.getByRole("cell").nth(0)).toHaveText(dayText(bought.activated_at));
  await expect(record.getByRole("cell").nth(1)).toHaveText("glm-4.7");
  await expect(record.getByRole("cell").nth(2)).toHaveText(
    `Resource pack “Starter”, expires ${shortTime(bought.expires_at)}`,
  );
  await expect(record.getByRole("cell").nth(3)).toHaveText("$0.01");
  await expect(record.getByRole("cell").nth(4)).toHaveText(/^\$0\.01\d{2,6}$/);
  await expect(record.getByRole("cell").nth(5)).toHaveText("1");
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    daily.getByRole("link", { name: "Export daily consumption (CSV)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("codeplan-daily.csv");
  const csv = (await readFile(await download.path(), "utf8")).split("\r\n");
  expect(csv[0]).toBe(
    "day,model,source,pack,pack_expires_utc,calls,input_tokens,output_tokens,cached_tokens,currency,amount,exact_fee",
  );
  expect(csv[1]).toMatch(
    new RegExp(
      `^${bought.activated_at.toISOString().slice(0, 10)},glm-4\\.7,pack,starter,${bought.expires_at.toISOString().replace(/\./g, "\\.")},1,\\d+,\\d+,0,USD,0\\.01,0\\.01\\d{2,6}$`,
    ),
  );

  // At phone width the table scrolls inside its own region, which the keyboard can reach.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoPageOverflow(page);
  await daily.focus();
  await expect(daily).toBeFocused();
  expect(await daily.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 720 });

  // The same two pages in Chinese.
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByRole("heading", { name: "每日 API 消费", level: 2 })).toBeVisible();
  await expect(page.getByTestId("daily-record").getByRole("cell").nth(2)).toHaveText(/^资源包“入门包”，.+ 到期$/);
  await expect(page.getByRole("columnheader", { name: "精确费用" })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/wallet");
  await expect(page.getByRole("heading", { name: "资源包", level: 2 })).toBeVisible();
  await expect(page.getByRole("button", { name: "购买入门包" })).toBeVisible();
  await expect(page.getByTestId("my-pack")).toContainText("可用");
  await expectAccessible(page);
});
