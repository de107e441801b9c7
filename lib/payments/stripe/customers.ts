import Stripe from "stripe";
import type { Db } from "../../db";
import type { SavedCard } from "../port";

export type CustomerStore = { db: Db; stripe: Stripe; provider: string; now: () => Promise<Date> };

/** The user's customer at the processor, created once (the key makes two racing creations one). */
export async function ensureCustomer(store: CustomerStore, userId: string, email: string): Promise<string> {
  const known = await store.db.paymentCustomer.findUnique({
    where: { userId_provider: { userId, provider: store.provider } },
  });
  if (known) return known.customerId;
  const customer = await store.stripe.customers.create(
    { email, metadata: { user_id: userId } },
    { idempotencyKey: `customer:${userId}` },
  );
  const now = await store.now();
  await store.db.paymentCustomer.createMany({
    data: [{ userId, provider: store.provider, customerId: customer.id, createdAt: now, updatedAt: now }],
    skipDuplicates: true,
  });
  return (
    await store.db.paymentCustomer.findUniqueOrThrow({
      where: { userId_provider: { userId, provider: store.provider } },
    })
  ).customerId;
}

export function cardOf(pm: Stripe.PaymentMethod): SavedCard & { fingerprint: string | null } {
  return {
    brand: pm.card?.brand ?? "card",
    last4: pm.card?.last4 ?? "????",
    expMonth: pm.card?.exp_month ?? 0,
    expYear: pm.card?.exp_year ?? 0,
    fingerprint: pm.card?.fingerprint ?? null,
  };
}

/** Makes a payment method the one renewals charge, here and as the customer's default there. */
export async function rememberCard(store: CustomerStore, userId: string, paymentMethodId: string): Promise<SavedCard> {
  const pm = await store.stripe.paymentMethods.retrieve(paymentMethodId);
  const card = cardOf(pm);
  const row = await store.db.paymentCustomer.findUnique({
    where: { userId_provider: { userId, provider: store.provider } },
  });
  if (!row) throw new Error(`no ${store.provider} customer for user ${userId}`);
  if (row.paymentMethodId !== paymentMethodId) {
    await store.stripe.customers.update(
      row.customerId,
      { invoice_settings: { default_payment_method: paymentMethodId } },
      { idempotencyKey: `default-card:${userId}:${paymentMethodId}` },
    );
    await store.db.paymentCustomer.update({
      where: { userId_provider: { userId, provider: store.provider } },
      data: {
        paymentMethodId,
        methodType: "card",
        cardBrand: card.brand,
        cardLast4: card.last4,
        cardExpMonth: card.expMonth,
        cardExpYear: card.expYear,
        cardFingerprint: card.fingerprint,
        updatedAt: await store.now(),
      },
    });
    // The card takes the place of an Alipay agreement: it is ended there too, not left able to charge (PAY-3).
    if (row.paymentMethodId && row.methodType === "alipay") await detachMethod(store, row.paymentMethodId);
  }
  return { brand: card.brand, last4: card.last4, expMonth: card.expMonth, expYear: card.expYear };
}

/** Detaches a method at the processor; one already detached (the buyer ended the agreement there) is fine. */
export async function detachMethod(store: CustomerStore, paymentMethodId: string): Promise<void> {
  try {
    await store.stripe.paymentMethods.detach(paymentMethodId, {}, { idempotencyKey: `detach:${paymentMethodId}` });
  } catch (e) {
    if (!(e instanceof Stripe.errors.StripeInvalidRequestError)) throw e;
  }
}

/** No card fields: what a saved wallet, or nothing saved, leaves in the customer's row. */
export const NO_CARD = {
  cardBrand: null,
  cardLast4: null,
  cardExpMonth: null,
  cardExpYear: null,
  cardFingerprint: null,
};
