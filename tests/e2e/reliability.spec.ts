import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { startCodeplan, type Codeplan } from "../support/codeplan-process";
import { ADMIN, expectAccessible, expectNoPageOverflow } from "./helpers";

// A second CodePlan beside the one the other journeys use: `npm start --instances 2` from the same build, with its
// own embedded Postgres, which these journeys kill (REL-2, REL-3).
const WEB = [3212, 3213];
const PG_PORT = Number(process.env.BENCH_PAYG_PG_PORT ?? 54417);
let app: Codeplan;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  app = startCodeplan(
    {
      DATABASE_URL: "",
      APP_ENV: "test",
      PORT: String(WEB[0]),
      DECISION_PORT: "",
      DECISION_INSTANCES: "1",
      WORKER_INSTANCES: "1",
      EMBEDDED_PG_PORT: String(PG_PORT),
      STRIPE_LOCAL_PORT: "3216",
      NEXT_DIST_DIR: process.env.E2E_DIST_DIR ?? ".next-e2e",
      NEXTAUTH_URL: "",
      SMTP_URL: "",
      DB_UNAVAILABLE_WAIT_MS: "300",
    },
    ["--instances", "2"],
  );
  for (const port of WEB) await app.waitFor(new RegExp(`web: listening on port ${port}`), 280_000);
});

test.afterAll(async () => {
  try {
    expect(await app?.stop()).toBe(0);
  } finally {
    await app?.dispose();
  }
});

const at = (port: number, p: string) => `http://localhost:${port}${p}`;
const backs = () => app.output().match(/embedded PostgreSQL is back/g)?.length ?? 0;

/** Kills the embedded Postgres (SIGKILL, as a crash would) and returns once npm start has it back. */
async function outage(during: () => Promise<void>) {
  const before = backs();
  const pid = Number(readFileSync(path.join(app.dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  process.kill(pid, "SIGKILL");
  await during();
  await app.waitFor(new RegExp(`(embedded PostgreSQL is back[\\s\\S]*){${before + 1}}`), 60_000);
}

/** Signs the admin in on the first web app (the journeys' own signIn goes to the other CodePlan). */
async function signInAdmin(page: Page) {
  await page.goto(at(WEB[0], "/sign-in"));
  await page
    .getByLabel(/^(E-mail|邮箱)$/)
    .first()
    .fill(ADMIN.email);
  await page.getByLabel(/^(Password|密码)$/).fill(ADMIN.password);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL(`**/dashboard`);
}

test("REL-2: two web apps on one database are one app: signed in on one, signed in on the other", async ({ page }) => {
  await signInAdmin(page);
  // Cookies are the host's, whatever the port: the second web app must take the first one's session as its own.
  const res = await page.goto(at(WEB[1], "/dashboard"));
  expect(res?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe("/dashboard");
  await expectAccessible(page);
});

test("REL-3: while Postgres is down a screen answers at once with a 503 page in the viewer's language, usable at phone width; it comes back by itself", async ({
  browser,
  page,
}) => {
  await outage(async () => {
    const started = Date.now();
    const res = await page.goto(at(WEB[1], "/dashboard"));
    expect(res?.status()).toBe(503);
    expect(res?.headers()["retry-after"]).toMatch(/^\d+$/);
    expect(Date.now() - started).toBeLessThan(5000);
    await expect(page.getByRole("heading", { name: "Back in a moment" })).toBeVisible();
    await expectAccessible(page);
  });
  await outage(async () => {
    const zh = await browser.newContext({ locale: "zh-CN", viewport: { width: 375, height: 740 } });
    const phone = await zh.newPage();
    const res = await phone.goto(at(WEB[0], "/pricing"));
    expect(res?.status()).toBe(503);
    await expect(phone.getByRole("heading", { name: "稍后即可恢复" })).toBeVisible();
    await expectNoPageOverflow(phone);
    await expectAccessible(phone);
    await zh.close();
  });
  // Back by itself, without restarting CodePlan: both web apps serve the signed-in page again.
  for (const port of WEB) {
    await expect
      .poll(async () => (await page.goto(at(port, "/dashboard")))?.status(), { timeout: 20_000, intervals: [250] })
      .toBe(200);
  }
  await expect(page.getByRole("heading", { name: "Back in a moment" })).toHaveCount(0);
});

test("REL-3: screens in flight when Postgres dies answer the outage page (503), never the framework's 500", async ({
  page,
  request,
}) => {
  // Signed in, so the layout and the page read the database on every request; four loops keep renders in flight.
  await signInAdmin(page);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const statuses: number[] = [];
  let running = true;
  const loops = Array.from({ length: 4 }, async (_, i) => {
    while (running) {
      const res = await request.get(at(WEB[i % 2], i < 2 ? "/dashboard" : "/admin"), {
        headers: { cookie },
        maxRedirects: 0,
        failOnStatusCode: false,
      });
      statuses.push(res.status());
    }
  });
  await new Promise((r) => setTimeout(r, 1000));
  await outage(() => new Promise((r) => setTimeout(r, 1000)));
  await new Promise((r) => setTimeout(r, 1000));
  running = false;
  await Promise.all(loops);
  const count = (s: number) => statuses.filter((x) => x === s).length;
  console.log(`REL-3 mid-render: ${statuses.length} screens, ${count(200)} × 200, ${count(503)} × 503`);
  expect(count(503), "the outage was seen").toBeGreaterThan(0);
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
});
