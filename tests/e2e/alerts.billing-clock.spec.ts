import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, request, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { advanceTestClock } from "../support/clock";
import { alerts, expectAccessible, expectNoPageOverflow } from "./helpers";
import { createKeyOnPage, newLiteSubscriber, spend } from "./quota-helpers";

/* Moves the app's test clock by five hours, so it runs alone in the billing-clock project. */
test.describe.configure({ mode: "default", lock: "-exclusive-" });
test.use({ timezoneId: "UTC" });

const HOUR = 3_600_000;

/** The subscriber's own webhook receiver (on this machine: the demo allows private addresses, ALERT-1). */
async function receiver() {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/codeplan`,
    got,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function mailSubjects(origin: string, email: string): Promise<string[]> {
  const api = await request.newContext({ baseURL: origin });
  const html = await (await api.get("/dev/mailbox")).text();
  await api.dispose();
  return html
    .split('data-testid="mail"')
    .slice(1)
    .filter((block) => block.includes(`>${email}<`))
    .map((block) => block.match(/CodePlan: [^<]*/)?.[0] ?? "");
}

test("ALERT-1: set thresholds and a webhook, get the 80 % alert by e-mail, in the app and by a signed webhook, then the resolved one", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const hook = await receiver();
  try {
    const email = await newLiteSubscriber(page, browser, "alerts");
    const secret = await createKeyOnPage(page, "alerts journey");

    await page.goto("/usage");
    await page.getByRole("link", { name: "Alerts: be told before a window runs out" }).click();
    await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
    await expect(page.getByLabel("5-hour window (%)")).toHaveValue("80, 100");
    await expectAccessible(page);

    // Bad input is refused next to its field, and nothing is saved.
    await page.getByLabel("5-hour window (%)").fill("80, 150");
    await page.getByLabel("Webhook URL").fill("ftp://example.com/hook");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(
      page.getByText("Enter up to four whole percentages from 1 to 100, separated by commas."),
    ).toBeVisible();
    await expect(page.getByText("Enter an http:// or https:// address without a user name or password.")).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("5-hour window (%)")).toHaveValue("80, 100");

    await page.getByLabel("Webhook URL").fill(hook.url);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.reload();
    const signing = (await page.getByTestId("webhook-secret").textContent())?.trim() ?? "";
    expect(signing).toMatch(/^whsec_/);

    // "Send test": delivered, and the receiver can verify it with the secret the screen shows.
    await page.getByRole("button", { name: "Send test" }).click();
    await expect(page.getByTestId("test-result")).toHaveText("Delivered: your server answered 204.");
    const verify = (i: number) =>
      new Webhook(signing).verify(hook.got[i].body, hook.got[i].headers as Record<string, string>) as {
        type: string;
        data: Record<string, unknown>;
      };
    expect(verify(0).type).toBe("alert.test");

    // 64 of 80 prompts: the worker (every second here) fires the 80 % alert once, on each channel.
    await spend(secret, [["prompt", 64]]);
    await expect.poll(() => hook.got.length, { timeout: 30_000 }).toBe(2);
    expect(verify(1)).toMatchObject({
      type: "quota.threshold_reached",
      data: { subject: "five_hour", threshold: "80", used: 64, limit: 80 },
    });
    const origin = new URL(page.url()).origin;
    await expect
      .poll(() => mailSubjects(origin, email), { timeout: 30_000 })
      .toContain("CodePlan: You have used 80% of your 5-hour window");
    await page.goto("/dashboard");
    await expect(page.getByText("You have used 80% of your 5-hour window").first()).toBeVisible();

    // Five hours on, the prompts are back: one "resolved" message.
    await advanceTestClock(5 * HOUR + 60_000);
    await expect.poll(() => hook.got.length, { timeout: 30_000 }).toBe(3);
    expect(verify(2)).toMatchObject({
      type: "quota.threshold_resolved",
      data: { subject: "five_hour", threshold: "80" },
    });
    await page.goto("/usage/alerts");
    await expect(page.getByTestId("delivery-log").getByRole("row")).toHaveCount(4);
    await expect(alerts(page)).toHaveCount(0);

    // The same screen in Chinese at phone width.
    await page.getByLabel("Language").selectOption("zh-CN");
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await page.setViewportSize({ width: 375, height: 812 });
    await expect(page.getByRole("heading", { name: "用量提醒", level: 1 })).toBeVisible();
    await expect(page.getByTestId("delivery-log").getByText("已送达").first()).toBeVisible();
    await expectNoPageOverflow(page);
    await expectAccessible(page);
  } finally {
    await hook.close();
  }
});
