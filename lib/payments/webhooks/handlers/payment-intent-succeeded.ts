import type Stripe from "stripe";
import type { BillingDeps } from "../../../billing";
import { applyPaymentIntents } from "./payment-intent";
import type { EventHandler } from "./types";

/** Whether a paid intent asked to keep its Alipay method for renewals (PAY-3). */
const savesWallet = (pi: Stripe.PaymentIntent) =>
  pi.payment_method_options?.alipay?.setup_future_usage === "off_session";

/**
 * The charge went through: the invoice is paid and what it bought applies (a
 * renewal extends the period). An Alipay payment made with the agreement also
 * leaves its method as the one renewals charge; the port checks the intent
 * and the method at the processor, so a replayed event changes nothing more.
 */
export const paymentIntentSucceeded: EventHandler<"payment_intent.succeeded"> = async (deps, events) => {
  const intents = events.map((e) => e.data.object);
  const notes = await applyPaymentIntents(deps, intents);
  await rememberSavedWallets(deps, intents.filter(savesWallet));
  return notes;
};

async function rememberSavedWallets(deps: BillingDeps, intents: Stripe.PaymentIntent[]) {
  for (const pi of intents) {
    const userId = pi.metadata?.user_id;
    if (!userId) continue;
    const known = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true } });
    if (known) await deps.port.rememberPayment(userId, pi.id);
  }
}
