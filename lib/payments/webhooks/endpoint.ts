import type { BillingDeps } from "../../billing";
import type { Db } from "../../db";
import { BodyTooLarge, boundedText } from "../../http/bounded-body";
import { paymentSettings } from "..";
import { isSignatureError, verifyStripeEvent } from "../stripe";
import { receiveStripeEvent } from "./receive";

/** SEC-3: Stripe's events are a few kilobytes; a megabyte leaves room for the largest and refuses the rest unread. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const error = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * Stripe's webhook endpoint (PAY-2), as a plain Request → Response handler so
 * that the app's route (app/api/stripe/webhook) and the lean ingress server
 * (lib/gateway/decision-server.ts) answer exactly the same. The signature is
 * checked on the raw body: a bad one answers 400 and nothing is stored. A
 * verified event is stored and answered 200 at once (a duplicate too), then
 * processed once in the background (receiveStripeEvent). Only a failure to
 * store it answers 500, so Stripe delivers it again. SEC-3: a request without
 * a signature is refused before its body is read, and the body is bounded.
 */
export function stripeWebhookEndpoint(database: () => Db, deps: () => Promise<BillingDeps>) {
  return async (req: Request): Promise<Response> => {
    const settings = paymentSettings();
    if (!settings) return error(404, "no_payment_processor", "No payment processor is configured.");
    const signature = req.headers.get("stripe-signature");
    if (!signature) return error(400, "invalid_signature", "The Stripe-Signature header is missing.");
    try {
      let raw: string;
      try {
        raw = await boundedText(req, WEBHOOK_BODY_LIMIT);
      } catch (e) {
        if (e instanceof BodyTooLarge)
          return error(413, "request_too_large", "The request body is too large for a Stripe event.");
        throw e;
      }
      let event;
      try {
        event = verifyStripeEvent(raw, signature, settings.webhookSecret);
      } catch (e) {
        if (isSignatureError(e))
          return error(400, "invalid_signature", "The Stripe-Signature header does not match this body.");
        throw e;
      }
      const outcome = await receiveStripeEvent(database(), deps, settings.provider, event, raw);
      return Response.json({ received: true, outcome });
    } catch (e) {
      console.error("stripe webhook: cannot take the event", e);
      return error(500, "internal_error", "Something went wrong on our side. Please try again.");
    }
  };
}
