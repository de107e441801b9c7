import { stripeWebhook } from "@/lib/composition/face";
import { withApiErrors } from "@/lib/http/api-error";

export const dynamic = "force-dynamic";

/** Stripe's webhook (PAY-2): the handler is lib/payments/webhooks/endpoint.ts, which the lean ingress server serves too. */
export const POST = withApiErrors(stripeWebhook);
