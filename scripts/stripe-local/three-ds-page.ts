/**
 * The stand-in for a bank's 3-D Secure challenge. It is served to real
 * browsers in end-to-end tests, so it is built to pass an axe scan: a
 * language, a title, a <main> landmark, one heading, labelled controls,
 * contrast above 4.5:1, and a layout that fits a 375 px wide phone.
 * Labels are English with Simplified Chinese beneath (marked lang="zh-Hans").
 */

export type ThreeDsPageInput = {
  intentId: string;
  kind: "payment" | "setup";
  /** Formatted amount, for a payment. */
  amount?: string;
  merchant: string;
  /** Set when the challenge is no longer pending (already completed, or the intent moved on). */
  notice?: { en: string; zh: string };
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** English over Chinese on screen; read out (and matched by tests) as "English · 中文". */
export function bilingual(en: string, zh: string): string {
  return `<span class="en">${escapeHtml(en)}</span><span class="sr-only"> · </span><span class="zh" lang="zh-Hans">${escapeHtml(zh)}</span>`;
}

/**
 * The local server's test-mode page (the 3-D Secure check, the wallets):
 * one bilingual card at phone width, with the buttons' own colours.
 */
export function testModePage(title: string, buttonCss: string, card: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
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
${buttonCss}
  button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
</style>
</head>
<body>
<main>
  <div class="card">
${card}
  </div>
</main>
</body>
</html>
`;
}

/** A short page for when there is nothing to authenticate (unknown id, or no return_url to go back to). */
export function renderMessagePage(title: { en: string; zh: string }, body: { en: string; zh: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title.en)} · ${escapeHtml(title.zh)}</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif; background: #ffffff; color: #111827; line-height: 1.5; }
  main { max-width: 28rem; margin: 0 auto; padding: 1.5rem 1rem; }
  .en, .zh { display: block; }
  .zh { color: #374151; }
  .sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
</style>
</head>
<body>
<main>
  <h1>${bilingual(title.en, title.zh)}</h1>
  <p>${bilingual(body.en, body.zh)}</p>
</main>
</body>
</html>
`;
}

export function renderThreeDsPage(input: ThreeDsPageInput): string {
  const id = escapeHtml(input.intentId);
  const details =
    input.kind === "payment"
      ? `<dl>
        <div><dt>${bilingual("Merchant", "商户")}</dt><dd>${escapeHtml(input.merchant)}</dd></div>
        <div><dt>${bilingual("Amount", "金额")}</dt><dd>${escapeHtml(input.amount ?? "")}</dd></div>
      </dl>`
      : `<dl>
        <div><dt>${bilingual("Merchant", "商户")}</dt><dd>${escapeHtml(input.merchant)}</dd></div>
      </dl>
      <p>${bilingual("Confirm that you want to save this card for future payments.", "确认保存此卡用于以后的付款。")}</p>`;
  const notice = input.notice
    ? `<p class="notice" role="status">${bilingual(input.notice.en, input.notice.zh)}</p>`
    : "";
  return testModePage(
    `3-D Secure authentication · 3-D Secure 验证`,
    `  .succeed { background: #1d4ed8; color: #ffffff; border: 2px solid #1d4ed8; }
  .fail { background: #ffffff; color: #991b1b; border: 2px solid #991b1b; }`,
    `    <h1>${bilingual("Confirm it's you", "确认是您本人")}</h1>
    <p class="test">${bilingual("Test mode: this page stands in for your bank's 3-D Secure check.", "测试模式：此页面模拟银行的 3-D Secure 验证。")}</p>
    ${details}
    ${notice}
    <form method="post" action="/3ds/${id}/complete">
      <button type="submit" name="result" value="succeed" class="succeed">${bilingual("Complete authentication", "完成验证")}</button>
      <button type="submit" name="result" value="fail" class="fail">${bilingual("Fail authentication", "验证失败")}</button>
    </form>`,
  );
}
