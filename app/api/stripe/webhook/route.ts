import { NextResponse } from "next/server";
import { appBillingDeps } from "@/lib/billing";
import { db } from "@/lib/db";
import { apiError, withApiErrors } from "@/lib/http/api-error";
import { paymentSettings } from "@/lib/payments";
import { isSignatureError, verifyStripeEvent } from "@/lib/payments/stripe";
import { receiveStripeEvent } from "@/lib/payments/webhooks";

export const dynamic = "force-dynamic";

/**
 * Stripe's webhook (PAY-2). The signature is checked on the raw body: a bad
 * one answers 400 and nothing is stored. A verified event is stored and
 * answered 200 at once (a duplicate too), then processed once in the
 * background with whatever else arrived (see receiveStripeEvent). Only a
 * failure to store it answers 500, so Stripe delivers it again.
 */
export const POST = withApiErrors(async (req: Request) => {
  const settings = paymentSettings();
  if (!settings) return apiError(404, "no_payment_processor", "No payment processor is configured.");
  const raw = await req.text();
  let event;
  try {
    event = verifyStripeEvent(raw, req.headers.get("stripe-signature"), settings.webhookSecret);
  } catch (e) {
    if (isSignatureError(e)) return apiError(400, "invalid_signature", "The Stripe-Signature header does not match this body.");
    throw e;
  }
  const outcome = await receiveStripeEvent(db(), appBillingDeps, settings.provider, event, raw);
  return NextResponse.json({ received: true, outcome });
});
