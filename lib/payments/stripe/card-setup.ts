import { ensureCustomer, type CustomerStore } from "./customers";

/** A SetupIntent for Stripe Elements to confirm in the browser (real Stripe), its client secret. */
export async function cardSetupSecret(store: CustomerStore, userId: string, email: string): Promise<string> {
  const customer = await ensureCustomer(store, userId, email);
  const saved = await store.db.paymentCustomer.findUnique({
    where: { userId_provider: { userId, provider: store.provider } },
  });
  // One SetupIntent per card to replace: reloading the page reuses it; once a card is saved, the next is new.
  const si = await store.stripe.setupIntents.create(
    { customer, usage: "off_session", allowed_payment_method_types: ["card"], metadata: { user_id: userId } },
    { idempotencyKey: `card-setup:${userId}:${saved?.paymentMethodId ?? "none"}` },
  );
  return si.client_secret!;
}
