import { appBillingDeps } from "@/lib/billing";
import { db } from "@/lib/db";
import { stripeWebhookEndpoint } from "@/lib/payments/webhooks";

export const dynamic = "force-dynamic";

/** Stripe's webhook (PAY-2): the handler is lib/payments/webhooks/endpoint.ts, which the lean ingress server serves too. */
export const POST = stripeWebhookEndpoint(db, appBillingDeps);
