import type { Env } from "../../config/env";

/**
 * Which Stripe CodePlan talks to. Real Stripe when its secret key and webhook
 * secret are set; otherwise, outside production, the local Stripe-compatible
 * server that `npm start` runs (scripts/stripe-local), through the same SDK.
 */
export type StripeSettings = {
  /** The provider name stored with customers and payments: ids from one mean nothing at the other. */
  provider: "stripe" | "stripe-local";
  secretKey: string;
  webhookSecret: string;
  publishableKey: string | null;
  /** Host, port and protocol of a Stripe-compatible server; null for api.stripe.com. */
  server: { host: string; port: number; protocol: "http" | "https" } | null;
};

/** The local server's key: any sk_test_ key is accepted there. */
export const LOCAL_SECRET_KEY = "sk_test_codeplan_local";

export function stripeSettings(
  env: Env,
  localWebhookSecret: string | undefined = env.STRIPE_WEBHOOK_SECRET,
): StripeSettings | null {
  if (env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET && !env.STRIPE_LOCAL_URL)
    return {
      provider: "stripe",
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      publishableKey: env.STRIPE_PUBLISHABLE_KEY ?? null,
      server: null,
    };
  if (!env.STRIPE_LOCAL_URL || !localWebhookSecret) return null;
  const url = new URL(env.STRIPE_LOCAL_URL);
  return {
    provider: "stripe-local",
    secretKey: env.STRIPE_SECRET_KEY ?? LOCAL_SECRET_KEY,
    webhookSecret: localWebhookSecret,
    publishableKey: null,
    server: {
      host: url.hostname,
      port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      protocol: url.protocol === "https:" ? "https" : "http",
    },
  };
}
