import { bilingual, escapeHtml, testModePage } from "./three-ds-page";

/**
 * The stand-in for the Alipay or WeChat Pay app (PAY-3): the buyer approves,
 * declines or leaves. Served to real browsers in end-to-end tests, so built
 * like the 3-D Secure page to pass an axe scan at 375 px: a language, a
 * title, a <main>, one heading, labelled buttons, contrast above 4.5:1.
 */
export type WalletPageInput = {
  intentId: string;
  wallet: "alipay" | "wechat_pay";
  amount: string;
  merchant: string;
  /** Set when the payment is no longer waiting for the buyer. */
  notice?: { en: string; zh: string };
  /** Approving also signs an automatic-payment agreement with the merchant (Alipay saved for off-session use). */
  agreement?: boolean;
};

const NAMES = { alipay: { en: "Alipay", zh: "支付宝" }, wechat_pay: { en: "WeChat Pay", zh: "微信支付" } };

export function renderWalletPage(input: WalletPageInput): string {
  const id = escapeHtml(input.intentId);
  const name = NAMES[input.wallet];
  const notice = input.notice
    ? `<p class="notice" role="status">${bilingual(input.notice.en, input.notice.zh)}</p>`
    : "";
  const agreement = input.agreement
    ? `<p class="agreement">${bilingual(
        `Paying also signs an automatic-payment agreement: ${input.merchant} may charge this account later without asking you each time. You can cancel it in ${name.en} or at ${input.merchant}.`,
        `付款即同时签署自动扣款协议：${input.merchant}今后可直接从此账户扣款，无需每次确认。您可在${name.zh}或${input.merchant}中随时解约。`,
      )}</p>`
    : "";
  const buttons = input.notice
    ? ""
    : `<form method="post" action="/wallet/${id}/complete">
      <button type="submit" name="result" value="approve" class="approve">${bilingual(`Pay ${input.amount}`, `确认付款 ${input.amount}`)}</button>
      <button type="submit" name="result" value="decline" class="decline">${bilingual("Decline the payment", "拒绝付款")}</button>
      <button type="submit" name="result" value="abandon" class="abandon">${bilingual("Leave without paying", "放弃付款")}</button>
    </form>`;
  return testModePage(
    `${escapeHtml(name.en)} · ${escapeHtml(name.zh)}`,
    `  .approve { background: #1d4ed8; color: #ffffff; border: 2px solid #1d4ed8; }
  .decline { background: #ffffff; color: #991b1b; border: 2px solid #991b1b; }
  .abandon { background: #ffffff; color: #374151; border: 2px solid #6b7280; }`,
    `    <h1>${bilingual(name.en, name.zh)}</h1>
    <p class="test">${bilingual(`Test mode: this page stands in for the ${name.en} app.`, `测试模式：此页面模拟${name.zh}。`)}</p>
    <dl>
      <div><dt>${bilingual("Merchant", "商户")}</dt><dd>${escapeHtml(input.merchant)}</dd></div>
      <div><dt>${bilingual("Amount", "金额")}</dt><dd>${escapeHtml(input.amount)}</dd></div>
    </dl>
    ${agreement}
    ${notice}
    ${buttons}`,
  );
}
