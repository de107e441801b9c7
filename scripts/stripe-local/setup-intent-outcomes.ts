import type { ApiContext, Reply } from "./api-context";
import { attemptCard } from "./card-attempt";
import { cardErrorReply } from "./card-error-reply";
import { attachPaymentMethod } from "./payment-method-use";
import type { IntentError, PaymentMethod, SetupIntent } from "./stripe-objects";

/** The ways a SetupIntent can end an attempt, shared by the confirm endpoint and the 3-D Secure page. */

export function succeedSetup(ctx: ApiContext, si: SetupIntent, pm: PaymentMethod): void {
  if (si.customer) attachPaymentMethod(ctx, pm, si.customer);
  Object.assign(si, {
    status: "succeeded",
    payment_method: pm.id,
    next_action: null,
    last_setup_error: null,
  } satisfies Partial<SetupIntent>);
  ctx.emit("setup_intent.succeeded", si);
}

export function failSetup(ctx: ApiContext, si: SetupIntent, error: IntentError): void {
  Object.assign(si, {
    status: "requires_payment_method",
    last_setup_error: error,
    payment_method: null,
    next_action: null,
  } satisfies Partial<SetupIntent>);
  ctx.emit("setup_intent.setup_failed", si);
}

function requireSetupAction(ctx: ApiContext, si: SetupIntent, pm: PaymentMethod): void {
  const returnUrl = ctx.state.returnUrls[si.id] ?? null;
  Object.assign(si, {
    status: "requires_action",
    payment_method: pm.id,
    last_setup_error: null,
    next_action: {
      type: "redirect_to_url",
      redirect_to_url: { url: `${ctx.publicUrl}/3ds/${si.id}`, return_url: returnUrl },
    },
  } satisfies Partial<SetupIntent>);
  ctx.state.authentications[si.id] = { status: "pending", returnUrl };
  ctx.emit("setup_intent.requires_action", si);
}

/** Verifies `pm` for `si` and answers as Stripe's confirm does: 200 with the intent, or 402 with the decline. */
export function confirmSetup(ctx: ApiContext, si: SetupIntent, pm: PaymentMethod): Reply {
  const result = attemptCard(ctx.state.cards[pm.id].behaviour, pm, { charging: false, offSession: false });
  if (result.kind === "succeed") succeedSetup(ctx, si, pm);
  else if (result.kind === "requires_action") requireSetupAction(ctx, si, pm);
  else {
    failSetup(ctx, si, result.error);
    return cardErrorReply(result.error, { setup_intent: si });
  }
  return { status: 200, body: si };
}
