import Stripe from "stripe";
import type { StripeSettings } from "./settings";

/**
 * The real `stripe` SDK, pointed at api.stripe.com or at a Stripe-compatible
 * server. No automatic network retries: our callers retry with the same
 * idempotency key (the job queue, the webhook redelivery), so a failure is
 * seen and counted once, where it belongs.
 */
export function stripeClient(settings: Pick<StripeSettings, "secretKey" | "server">): Stripe {
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 0,
    timeout: 20_000,
    appInfo: { name: "CodePlan" },
    ...(settings.server && {
      host: settings.server.host,
      port: settings.server.port,
      protocol: settings.server.protocol,
    }),
  });
}
