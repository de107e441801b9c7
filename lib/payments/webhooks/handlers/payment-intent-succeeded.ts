import type Stripe from "stripe";
import type { BillingDeps } from "../../../billing";
import { asksToSaveWallet } from "../../stripe/saved-methods";
import { applyPaymentIntents } from "./payment-intent";
import type { EventHandler } from "./types";

/**
 * The charge went through: the invoice is paid and what it bought applies (a
 * renewal extends the period). An Alipay payment made with the agreement also
 * leaves its method as the one renewals charge; the port checks the intent
 * and the method at the processor (an unknown user has no customer row and
 * saves nothing), so a replayed event changes nothing more.
 */
export const paymentIntentSucceeded: EventHandler<"payment_intent.succeeded"> = async (deps, events) => {
  const intents = events.map((e) => e.data.object);
  const notes = await applyPaymentIntents(deps, intents);
  await rememberSavedWallets(deps, intents.filter(asksToSaveWallet));
  return notes;
};

async function rememberSavedWallets(deps: BillingDeps, intents: Stripe.PaymentIntent[]) {
  for (const pi of intents) if (pi.metadata?.user_id) await deps.port.rememberPayment(pi.metadata.user_id, pi.id);
}
