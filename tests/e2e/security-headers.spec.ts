import { expect, test, type Page, type Response } from "@playwright/test";
import { expectAccessible, signUp, SUBSCRIBER, uniqueEmail } from "./helpers";

/** Everything the browser says about the page's policy: a blocked script, style or frame is a console error. */
function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(m.text())) seen.push(m.text());
  });
  page.on("pageerror", (e) => seen.push(`page error: ${e.message}`));
  return seen;
}

function expectSecurityHeaders(response: Response | null) {
  expect(response).not.toBeNull();
  const h = response!.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  // A production build: no eval; outside APP_ENV=production, no HSTS (the e2e app runs over plain HTTP).
  expect(csp).not.toContain("unsafe-eval");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["strict-transport-security"]).toBeUndefined();
  return csp;
}

test("SEC-3: pages carry a nonce-based CSP and the security headers, and still render and run without a single CSP violation @phone", async ({
  page,
}) => {
  const violations = cspViolations(page);
  const pricing = await page.goto("/pricing");
  const first = expectSecurityHeaders(pricing);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // A fresh nonce for every answer.
  const again = expectSecurityHeaders(await page.goto("/pricing"));
  expect(again).not.toBe(first);
  await expectAccessible(page);

  // Signing up runs client code (the form, the router): it must have hydrated under the policy.
  await signUp(page, uniqueEmail("csp"));
  for (const path of [
    "/dashboard",
    "/usage",
    "/wallet",
    "/subscription/checkout?tier=pro&cycle=monthly",
    "/referrals",
    "/keys",
  ]) {
    expectSecurityHeaders(await page.goto(path));
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
  // The payment page's card form (the local test-card form here) is on the page and usable.
  await page.goto("/subscription/checkout?tier=pro&cycle=monthly");
  await expect(page.getByLabel("Card number")).toBeEditable();
  await expectAccessible(page);
  expect(violations).toEqual([]);
});

test("SEC-3: the API answers carry nosniff and no page policy is needed there; the payment return refuses an off-site next", async ({
  page,
  request,
}) => {
  const health = await request.get("/api/health");
  expect(health.headers()["x-content-type-options"]).toBe("nosniff");
  await signUp(page, uniqueEmail("redirect"));
  // The finding: `next=/%09/evil.example` (a tab the browser drops) went off-site. Now it falls back to the subscription page.
  await page.goto("/payments/return?next=/%09/evil.example");
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/subscription$/);
  await page.goto("/payments/return?next=/%5Cevil.example");
  await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/subscription$/);
});

test("SEC-3: sign-in with callbackUrl=/\\evil.example lands on the dashboard, not off-site; scripts and charts run under the policy", async ({
  page,
}) => {
  const violations = cspViolations(page);
  await page.goto("/sign-in?callbackUrl=%2F%5Cevil.example");
  await page
    .getByLabel(/^(E-mail|邮箱)$/)
    .first()
    .fill(SUBSCRIBER.email);
  await page.getByLabel(/^(Password|密码)$/).fill(SUBSCRIBER.password);
  await page.getByRole("button", { name: /^(Sign in|登录)$/ }).click();
  await page.waitForURL("**/dashboard");
  expect(new URL(page.url()).host).toMatch(/^localhost:\d+$/);
  // Next's client runtime ran (it is nonce-loaded), and the charts (recharts: inline styles) draw.
  expect(await page.evaluate(() => typeof (window as unknown as { next?: { version?: string } }).next?.version)).toBe(
    "string",
  );
  await page.goto("/usage");
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  expect(violations).toEqual([]);
});
