import Stripe from "stripe";
import type { SavedMethod } from "../port";
import { detachMethod, NO_CARD, type CustomerStore } from "./customers";

/**
 * What renewals charge, beyond the card (PAY-3): an Alipay account saved by a
 * payment made with `setup_future_usage=off_session`, under the agreement the
 * buyer signed in Alipay. One method at a time, like the card: saving one
 * replaces the other.
 */

type Row = {
  customerId: string;
  paymentMethodId: string | null;
  methodType: string;
  cardBrand: string | null;
  cardLast4: string | null;
  cardExpMonth: number | null;
  cardExpYear: number | null;
};

const idOf = (v: string | { id: string } | null) => (typeof v === "string" ? v : (v?.id ?? null));

/** Whether an intent asked to keep its Alipay method for off-session charges (the agreement, PAY-3). */
export const asksToSaveWallet = (pi: Stripe.PaymentIntent) =>
  pi.payment_method_options?.alipay?.setup_future_usage === "off_session";

/** The customer row as the wallet shows it. */
export function savedMethodOf(row: Row | null): SavedMethod | null {
  if (!row?.paymentMethodId) return null;
  if (row.methodType === "alipay") return { type: "alipay" };
  return {
    type: "card",
    brand: row.cardBrand ?? "card",
    last4: row.cardLast4 ?? "????",
    expMonth: row.cardExpMonth ?? 0,
    expYear: row.cardExpYear ?? 0,
  };
}

/**
 * Saves the Alipay method a succeeded payment left attached to this user's
 * customer. Checked at the processor, not taken from the event: the intent
 * must be this customer's, paid, and have asked to save its method, and the
 * method must still be attached, so an event replayed after the subscriber
 * removed the agreement does not bring it back.
 */
export async function rememberPayment(
  store: CustomerStore,
  userId: string,
  providerPaymentId: string,
): Promise<SavedMethod | null> {
  const where = { userId_provider: { userId, provider: store.provider } };
  const row = await store.db.paymentCustomer.findUnique({ where });
  if (!row) return null;
  const pi = await store.stripe.paymentIntents.retrieve(providerPaymentId);
  const pmId = idOf(pi.payment_method);
  if (pi.status !== "succeeded" || !pmId || idOf(pi.customer) !== row.customerId || !asksToSaveWallet(pi)) return null;
  if (row.paymentMethodId === pmId) return savedMethodOf(row);
  const pm = await store.stripe.paymentMethods.retrieve(pmId);
  if (pm.type !== "alipay" || idOf(pm.customer) !== row.customerId) return null;
  await store.db.paymentCustomer.update({
    where,
    data: { paymentMethodId: pmId, methodType: "alipay", ...NO_CARD, updatedAt: await store.now() },
  });
  return { type: "alipay" };
}

/** Forgets what renewals charge in this row if it is still `paymentMethodId` (a newer method is kept). */
export async function forgetSavedMethod(
  store: CustomerStore,
  paymentMethodId: string,
  userId?: string,
): Promise<number> {
  const { count } = await store.db.paymentCustomer.updateMany({
    where: { paymentMethodId, provider: store.provider, ...(userId && { userId }) },
    data: { paymentMethodId: null, methodType: "card", ...NO_CARD, updatedAt: await store.now() },
  });
  return count;
}

/** The subscriber removes the saved method: detached at the processor (an agreement ends there), then forgotten. */
export async function removeSavedMethod(store: CustomerStore, userId: string): Promise<void> {
  const row = await store.db.paymentCustomer.findUnique({
    where: { userId_provider: { userId, provider: store.provider } },
  });
  if (!row?.paymentMethodId) return;
  // Detached there first (one the buyer already ended in Alipay is fine), so it can never be charged again.
  await detachMethod(store, row.paymentMethodId);
  await forgetSavedMethod(store, row.paymentMethodId, userId);
}

/** `payment_method.detached`: the method is no longer usable, whoever detached it. */
export const methodDetached = (store: CustomerStore, paymentMethodId: string) =>
  forgetSavedMethod(store, paymentMethodId);

/**
 * A charge of the saved method refused because the processor no longer has it
 * attached (the detach event not in yet): the request named a payment method
 * it cannot use. Nothing was charged; the caller forgets the method.
 */
export const isDetachedMethodError = (e: unknown) =>
  e instanceof Stripe.errors.StripeInvalidRequestError && e.param === "payment_method";
