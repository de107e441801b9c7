import { appClock } from "../clock";
import { env } from "../config/env";
import { db } from "../db";
import { noProcessor } from "./no-processor";
import type { PaymentPort } from "./port";
import type Stripe from "stripe";
import { stripeClient, stripePort, stripeSettings, type StripeSettings } from "./stripe";
import { ensureCustomer } from "./stripe/customers";

export type { PaymentPort, ChargeRequest, ChargeResult, RefundResult, SetupResult, SavedCard } from "./port";
export { PaymentUnavailableError } from "./port";
export { saveTestCard } from "./save-card";

let cached: { port: PaymentPort; settings: StripeSettings | null; stripe: Stripe | null } | undefined;

/** The processor this deployment talks to (see stripeSettings), or none. */
export function paymentSettings(): StripeSettings | null {
  return (cached ??= build()).settings;
}

/** The app's payment port: Stripe or the local Stripe-compatible server; with neither, wallet money only. */
export function paymentPort(): PaymentPort {
  return (cached ??= build()).port;
}

/** How the browser collects a card: Stripe Elements, the local test-card form, or not at all. */
export function cardCollection(): { kind: "stripe"; publishableKey: string } | { kind: "local" } | { kind: "none" } {
  const settings = paymentSettings();
  if (!settings) return { kind: "none" };
  if (settings.provider === "stripe-local") return { kind: "local" };
  return settings.publishableKey ? { kind: "stripe", publishableKey: settings.publishableKey } : { kind: "none" };
}

/** A SetupIntent for Stripe Elements to confirm in the browser (real Stripe only). */
export async function cardSetupSecret(userId: string, email: string): Promise<string> {
  const { stripe, settings } = (cached ??= build());
  if (!stripe || !settings) throw new Error("no payment processor");
  const customer = await ensureCustomer({ db: db(), stripe, provider: settings.provider, now: () => appClock().now() }, userId, email);
  const saved = await db().paymentCustomer.findUnique({ where: { userId_provider: { userId, provider: settings.provider } } });
  // One SetupIntent per card to replace: reloading the page reuses it; once a card is saved, the next is new.
  const si = await stripe.setupIntents.create(
    { customer, usage: "off_session", allowed_payment_method_types: ["card"], metadata: { user_id: userId } },
    { idempotencyKey: `card-setup:${userId}:${saved?.paymentMethodId ?? "none"}` },
  );
  return si.client_secret!;
}

function build() {
  const settings = stripeSettings(env());
  if (!settings) return { port: noProcessor, settings, stripe: null };
  const stripe = stripeClient(settings);
  const port = stripePort({ db: db(), stripe, provider: settings.provider, now: () => appClock().now() });
  return { port, settings, stripe };
}
