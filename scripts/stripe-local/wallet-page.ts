import { bilingual, escapeHtml } from "./three-ds-page";

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
};

const NAMES = { alipay: { en: "Alipay", zh: "支付宝" }, wechat_pay: { en: "WeChat Pay", zh: "微信支付" } };

export function renderWalletPage(input: WalletPageInput): string {
  const id = escapeHtml(input.intentId);
  const name = NAMES[input.wallet];
  const notice = input.notice
    ? `<p class="notice" role="status">${bilingual(input.notice.en, input.notice.zh)}</p>`
    : "";
  const buttons = input.notice
    ? ""
    : `<form method="post" action="/wallet/${id}/complete">
      <button type="submit" name="result" value="approve" class="approve">${bilingual(`Pay ${input.amount}`, `确认付款 ${input.amount}`)}</button>
      <button type="submit" name="result" value="decline" class="decline">${bilingual("Decline the payment", "拒绝付款")}</button>
      <button type="submit" name="result" value="abandon" class="abandon">${bilingual("Leave without paying", "放弃付款")}</button>
    </form>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(name.en)} · ${escapeHtml(name.zh)}</title>
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; background: #f3f4f6; color: #111827; line-height: 1.5; }
  main { max-width: 28rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .card { background: #ffffff; border: 1px solid #d1d5db; border-radius: 0.75rem; padding: 1.25rem; }
  h1 { font-size: 1.375rem; margin: 0 0 0.75rem; }
  .en, .zh { display: block; }
  .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
  .zh { font-size: 0.9em; color: #374151; }
  dl { margin: 0 0 1rem; }
  dl div { display: flex; justify-content: space-between; gap: 1rem; padding: 0.5rem 0; border-bottom: 1px solid #e5e7eb; }
  dt { color: #374151; }
  dd { margin: 0; font-weight: 600; text-align: right; overflow-wrap: anywhere; }
  p { margin: 0 0 1rem; }
  .test { font-size: 0.875rem; color: #374151; }
  .notice { background: #fef3c7; color: #78350f; border-radius: 0.5rem; padding: 0.75rem; }
  form { display: grid; gap: 0.75rem; margin-top: 1rem; }
  button { width: 100%; min-height: 3rem; padding: 0.625rem 1rem; font: inherit; font-weight: 600; border-radius: 0.5rem; cursor: pointer; }
  button .zh { color: inherit; }
  .approve { background: #1d4ed8; color: #ffffff; border: 2px solid #1d4ed8; }
  .decline { background: #ffffff; color: #991b1b; border: 2px solid #991b1b; }
  .abandon { background: #ffffff; color: #374151; border: 2px solid #6b7280; }
  button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
</style>
</head>
<body>
<main>
  <div class="card">
    <h1>${bilingual(name.en, name.zh)}</h1>
    <p class="test">${bilingual(`Test mode: this page stands in for the ${name.en} app.`, `测试模式：此页面模拟${name.zh}。`)}</p>
    <dl>
      <div><dt>${bilingual("Merchant", "商户")}</dt><dd>${escapeHtml(input.merchant)}</dd></div>
      <div><dt>${bilingual("Amount", "金额")}</dt><dd>${escapeHtml(input.amount)}</dd></div>
    </dl>
    ${notice}
    ${buttons}
  </div>
</main>
</body>
</html>
`;
}
