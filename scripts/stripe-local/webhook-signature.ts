import { createHmac } from "node:crypto";

/**
 * The `Stripe-Signature` header exactly as Stripe builds it:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the endpoint secret>`,
 * so the app's `stripe.webhooks.constructEvent` accepts it unchanged.
 */
export function signWebhook(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}
