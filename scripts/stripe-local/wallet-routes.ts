import type { IncomingMessage, ServerResponse } from "node:http";
import QRCode from "qrcode";
import { parseForm } from "./form-body";
import { formatAmount } from "./format-amount";
import { readBody, redirect, sendHtml, sendText } from "./http-io";
import type { ServerDeps } from "./server-deps";
import type { PaymentIntent } from "./stripe-objects";
import { renderMessagePage } from "./three-ds-page";
import { finishWalletPayment, savesWallet } from "./wallet-payments";
import { renderWalletPage } from "./wallet-page";

const MERCHANT = "CodePlan";
const NO_REQUEST = { id: null, idempotency_key: null };
const ANSWERS = ["approve", "decline", "abandon"] as const;

const DONE = {
  approved: {
    en: "Paid. You can close this page and return to the merchant.",
    zh: "已付款。您可以关闭此页面并返回商户。",
  },
  declined: { en: "You declined this payment.", zh: "您已拒绝此付款。" },
  abandoned: { en: "You left without paying. This code can no longer be paid.", zh: "您已放弃付款。此付款码已失效。" },
};

function walletOf(deps: ServerDeps, pi: PaymentIntent) {
  return pi.payment_method ? deps.state.walletMethods[pi.payment_method]?.type : undefined;
}

function notFound(res: ServerResponse): void {
  sendHtml(
    res,
    404,
    renderMessagePage(
      { en: "Payment not found", zh: "未找到付款" },
      { en: "There is no wallet payment with this address.", zh: "此地址没有对应的钱包付款。" },
    ),
  );
}

/** Back to the merchant as Stripe does after Alipay: the intent and how the redirect ended. */
function returnTo(res: ServerResponse, pi: PaymentIntent, returnUrl: string): void {
  const url = new URL(returnUrl);
  url.searchParams.set("payment_intent", pi.id);
  url.searchParams.set("payment_intent_client_secret", pi.client_secret);
  url.searchParams.set("redirect_status", pi.status === "succeeded" ? "succeeded" : "failed");
  redirect(res, url.toString());
}

/**
 * GET /wallet/:id (the wallet page: where Alipay's redirect and WeChat Pay's
 * QR code lead), GET /wallet/:id/qr.svg|qr.png (the code's image, as Stripe's
 * image_url_svg/png) and POST /wallet/:id/complete (the buyer's answer).
 * Returns false for other paths.
 */
export async function handleWallet(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const m = /^\/wallet\/([^/]+)(\/complete|\/qr\.svg|\/qr\.png)?\/?$/.exec(path);
  if (!m) return false;
  const pi = deps.state.paymentIntents[decodeURIComponent(m[1])];
  const wallet = pi ? walletOf(deps, pi) : undefined;
  const attempt = pi ? deps.state.walletAttempts[pi.id] : undefined;
  if (req.method === "GET" && (m[2] === "/qr.svg" || m[2] === "/qr.png")) {
    if (!pi || !attempt) return (notFound(res), true);
    const data = `${deps.context(NO_REQUEST).publicUrl}/wallet/${pi.id}`;
    if (m[2] === "/qr.svg")
      sendText(res, 200, await QRCode.toString(data, { type: "svg", margin: 1 }), { "Content-Type": "image/svg+xml" });
    else {
      const png = await QRCode.toBuffer(data, { margin: 1 });
      res.writeHead(200, {
        "Content-Type": "image/png",
        "Content-Length": String(png.length),
        "Cache-Control": "no-cache, no-store",
      });
      res.end(png);
    }
    return true;
  }
  if (req.method === "GET" && !m[2]) {
    if (!pi || !wallet || !attempt) return (notFound(res), true);
    const done = attempt.status !== "pending" || pi.status !== "requires_action";
    const notice = done ? (attempt.status === "pending" ? DONE.abandoned : DONE[attempt.status]) : undefined;
    sendHtml(
      res,
      200,
      renderWalletPage({
        intentId: pi.id,
        wallet,
        amount: formatAmount(pi.amount, pi.currency),
        merchant: MERCHANT,
        notice,
        agreement: wallet === "alipay" && savesWallet(pi) && Boolean(pi.customer),
      }),
    );
    return true;
  }
  if (req.method === "POST" && m[2] === "/complete") {
    const form = parseForm(await readBody(req));
    if (!pi || !wallet || !attempt) return (notFound(res), true);
    const answer = ANSWERS.find((a) => a === form.result);
    if (!answer) {
      sendHtml(
        res,
        400,
        renderMessagePage(
          { en: "Choose an answer", zh: "请选择" },
          { en: "Send result=approve, decline or abandon.", zh: "请发送 result=approve、decline 或 abandon。" },
        ),
      );
      return true;
    }
    finishWalletPayment(deps.context(NO_REQUEST), pi, answer);
    deps.persist();
    // Alipay brings the buyer back to the merchant; WeChat Pay was scanned on a phone, which just says how it went.
    if (attempt.returnUrl) returnTo(res, pi, attempt.returnUrl);
    else {
      const status = attempt.status === "pending" ? "abandoned" : attempt.status;
      sendHtml(
        res,
        200,
        renderWalletPage({
          intentId: pi.id,
          wallet,
          amount: formatAmount(pi.amount, pi.currency),
          merchant: MERCHANT,
          notice: DONE[status],
        }),
      );
    }
    return true;
  }
  return false;
}
