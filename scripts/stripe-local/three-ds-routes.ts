import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticationFailure, setupAuthenticationFailure } from "./card-attempt";
import { parseForm } from "./form-body";
import { formatAmount } from "./format-amount";
import { readBody, redirect, sendHtml } from "./http-io";
import { failPayment, succeedPayment } from "./payment-intent-outcomes";
import type { ServerDeps } from "./server-deps";
import { failSetup, succeedSetup } from "./setup-intent-outcomes";
import type { PaymentIntent, SetupIntent } from "./stripe-objects";
import { renderMessagePage, renderThreeDsPage } from "./three-ds-page";

/** Shown as the merchant on the challenge page. */
const MERCHANT = "CodePlan";

// The browser reaches these pages with no API key, as with a real bank's page, and no event names an API request.
const NO_REQUEST = { id: null, idempotency_key: null };

type Intent = { kind: "payment"; intent: PaymentIntent } | { kind: "setup"; intent: SetupIntent };

function findIntent(deps: ServerDeps, id: string): Intent | null {
  const pi = deps.state.paymentIntents[id];
  if (pi) return { kind: "payment", intent: pi };
  const si = deps.state.setupIntents[id];
  if (si) return { kind: "setup", intent: si };
  return null;
}

function notFound(res: ServerResponse): void {
  sendHtml(
    res,
    404,
    renderMessagePage(
      { en: "Authentication not found", zh: "未找到验证" },
      { en: "There is no 3-D Secure challenge with this address.", zh: "此地址没有对应的 3-D Secure 验证。" },
    ),
  );
}

function isPending(deps: ServerDeps, found: Intent): boolean {
  return deps.state.authentications[found.intent.id]?.status === "pending" && found.intent.status === "requires_action";
}

function showPage(deps: ServerDeps, res: ServerResponse, found: Intent): void {
  const pi = found.kind === "payment" ? found.intent : null;
  sendHtml(
    res,
    200,
    renderThreeDsPage({
      intentId: found.intent.id,
      kind: found.kind,
      amount: pi ? formatAmount(pi.amount, pi.currency) : undefined,
      merchant: MERCHANT,
      notice: isPending(deps, found)
        ? undefined
        : {
            en: "This authentication is already complete. Either button returns you to the merchant.",
            zh: "此验证已完成。点击任一按钮返回商户。",
          },
    }),
  );
}

/** Applies the customer's answer to a pending challenge, exactly once. */
function complete(deps: ServerDeps, found: Intent, succeed: boolean): void {
  if (!isPending(deps, found)) return;
  const ctx = deps.context(NO_REQUEST);
  const pmId = found.intent.payment_method;
  const pm = pmId ? deps.state.paymentMethods[pmId] : undefined;
  if (found.kind === "payment") {
    if (succeed && pm) succeedPayment(ctx, found.intent, pm, true);
    else failPayment(ctx, found.intent, authenticationFailure(pm));
  } else {
    if (succeed && pm) succeedSetup(ctx, found.intent, pm);
    else failSetup(ctx, found.intent, setupAuthenticationFailure(pm));
  }
  deps.state.authentications[found.intent.id].status = found.intent.status === "succeeded" ? "succeeded" : "failed";
  deps.persist();
}

/** Back to the app with the query parameters Stripe appends after a redirect-based authentication. */
function returnTo(deps: ServerDeps, res: ServerResponse, found: Intent): void {
  const returnUrl = deps.state.authentications[found.intent.id]?.returnUrl;
  const succeeded = found.intent.status === "succeeded";
  if (!returnUrl) {
    sendHtml(
      res,
      200,
      succeeded
        ? renderMessagePage(
            { en: "Authentication complete", zh: "验证完成" },
            { en: "You can close this window.", zh: "您可以关闭此窗口。" },
          )
        : renderMessagePage(
            { en: "Authentication failed", zh: "验证失败" },
            { en: "You can close this window.", zh: "您可以关闭此窗口。" },
          ),
    );
    return;
  }
  const url = new URL(returnUrl);
  const prefix = found.kind === "payment" ? "payment_intent" : "setup_intent";
  url.searchParams.set(prefix, found.intent.id);
  url.searchParams.set(`${prefix}_client_secret`, found.intent.client_secret);
  url.searchParams.set("redirect_status", succeeded ? "succeeded" : "failed");
  redirect(res, url.toString());
}

/** GET /3ds/:id (the challenge page) and POST /3ds/:id/complete (its answer). Returns false for other paths. */
export async function handleThreeDs(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const m = /^\/3ds\/([^/]+)(\/complete)?\/?$/.exec(path);
  if (!m) return false;
  const found = findIntent(deps, decodeURIComponent(m[1]));
  if (req.method === "GET" && !m[2]) {
    if (!found) notFound(res);
    else showPage(deps, res, found);
    return true;
  }
  if (req.method === "POST" && m[2]) {
    const form = parseForm(await readBody(req));
    if (!found || !deps.state.authentications[found.intent.id]) {
      notFound(res);
      return true;
    }
    if (form.result !== "succeed" && form.result !== "fail") {
      sendHtml(
        res,
        400,
        renderMessagePage(
          { en: "Choose an answer", zh: "请选择" },
          { en: "Send result=succeed or result=fail.", zh: "请发送 result=succeed 或 result=fail。" },
        ),
      );
      return true;
    }
    complete(deps, found, form.result === "succeed");
    returnTo(deps, res, found);
    return true;
  }
  return false;
}
