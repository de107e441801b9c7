import { expect, test, type Page } from "@playwright/test";
import { ADMIN, expectAccessible, expectNoPageOverflow, signIn, signUp, uniqueEmail } from "./helpers";

test.use({ timezoneId: "UTC" });

/** The bytes pdfkit writes for a document title: UTF-16BE with its byte-order mark. */
const pdfTitleBytes = (title: string) => Buffer.from([0xfe, 0xff, ...Buffer.from(title, "utf16le").swap16()]);

async function subscribeWithCard(page: Page) {
  await page.goto("/subscription/checkout?tier=pro&cycle=monthly");
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByLabel("Expiry (MM/YY)").fill("12/30");
  await page.getByLabel("Security code (CVC)").fill("123");
  await page.getByRole("button", { name: "Save card" }).click();
  await page.waitForURL(
    (u) => u.pathname === "/subscription/checkout" && u.searchParams.get("notice") === "card_saved",
  );
  await page.getByRole("button", { name: "Confirm and pay" }).click();
  await page.waitForURL("**/subscription?notice=subscribed");
}

test("INV-1: a refund issues a credit note: the subscriber finds it in the billing history and opens it as a PDF in Chinese; the admin sees it @phone", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const email = uniqueEmail("creditnote");
  await signUp(page, email);
  await subscribeWithCard(page);

  // The admin refunds $5.00 of the $15.00 payment.
  const adminContext = await browser.newContext({ timezoneId: "UTC" });
  const admin = await adminContext.newPage();
  await signIn(admin, ADMIN);
  await admin.goto(`/admin/customers?q=${encodeURIComponent(email)}`);
  await admin.getByRole("link", { name: email }).click();
  const payment = admin.getByRole("region", { name: "Card payments" }).getByTestId("card-payment");
  await expect(payment.locator("p").first()).toContainText(/^Invoice INTL-\d{4}-\d{6} · \$15\.00 · Paid/);
  await payment.locator("summary", { hasText: "Refund" }).click();
  await payment.getByLabel("Amount to refund (USD)").fill("5");
  await payment.getByLabel("Reason for the refund").fill("Service outage on the 3rd");
  await payment.getByRole("button", { name: "Refund", exact: true }).click();
  await expect(admin.getByRole("status")).toHaveText("Refund issued.");

  // The admin console shows the credit note, and its PDF opens.
  const adminLink = payment.getByTestId("credit-note");
  await expect(adminLink).toHaveText(/^Credit note INTL-CR-\d{4}-\d{6} \(PDF\)$/);
  const number = (await adminLink.textContent())!.match(/INTL-CR-\d{4}-\d{6}/)![0];
  const adminPdf = await admin.request.get((await adminLink.getAttribute("href"))!);
  expect(adminPdf.status()).toBe(200);
  expect(adminPdf.headers()["content-type"]).toBe("application/pdf");
  await expectAccessible(admin);
  await adminContext.close();

  // The subscriber reads the billing history in Chinese.
  await page.goto("/billing");
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  const refund = page.getByTestId("refund");
  await expect(refund).toHaveCount(1);
  await expect(refund).toContainText(`贷项通知单 ${number}：已退回银行卡 US$5.00`);
  await expect(page.getByRole("heading", { name: /^账单 INTL-\d{4}-\d{6} — / })).toBeVisible();
  await expectAccessible(page);

  const link = refund.getByRole("link", { name: `贷项通知单 ${number}（PDF）` });
  const pdf = await page.request.get((await link.getAttribute("href"))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  const body = await pdf.body();
  expect(body.subarray(0, 5).toString()).toBe("%PDF-");
  expect(body.includes(pdfTitleBytes(`贷项通知单 ${number}`))).toBe(true);

  // The CSV export lists the credit note's line with the invoice it corrects.
  const csv = await (await page.request.get("/api/billing/export?type=credit_notes")).text();
  expect(csv).toMatch(new RegExp(`^${number},[^,]+,INTL-\\d{4}-\\d{6},USD,plan,5\\.00,5\\.00$`, "m"));

  // A stranger's session cannot open it.
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await signUp(stranger, uniqueEmail("stranger"));
  expect((await stranger.request.get((await link.getAttribute("href"))!)).status()).toBe(404);
  await strangerContext.close();

  await page.setViewportSize({ width: 375, height: 800 });
  await expectNoPageOverflow(page);
});
