import { appClock } from "../clock";
import { env } from "../config/env";
import { db } from "../db";
import { noProcessor } from "./no-processor";
import type { PaymentPort } from "./port";
import { stripeClient, stripePort, stripeSettings, type StripeSettings } from "./stripe";
import { cardSetupSecret as stripeCardSetupSecret } from "./stripe/card-setup";
import type { CustomerStore } from "./stripe/customers";

export type {
  PaymentPort,
  ChargeRequest,
  ChargeResult,
  RefundResult,
  SetupResult,
  SavedCard,
  SavedMethod,
  PayMethod,
  PayChoice,
  WalletMethod,
  RecurringWallet,
} from "./port";
export { PAY_METHODS, RECURRING_WALLETS, isWalletMethod } from "./port";
export { PaymentUnavailableError } from "./port";
export { saveTestCard } from "./save-card";

let cached: { port: PaymentPort; settings: StripeSettings | null; store: CustomerStore | null } | undefined;

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
  const { store } = (cached ??= build());
  if (!store) throw new Error("no payment processor");
  return stripeCardSetupSecret(store, userId, email);
}

function build() {
  const settings = stripeSettings(env());
  if (!settings) return { port: noProcessor, settings, store: null };
  const store = { db: db(), stripe: stripeClient(settings), provider: settings.provider, now: () => appClock().now() };
  return { port: stripePort(store), settings, store };
}
