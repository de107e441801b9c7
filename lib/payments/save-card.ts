import type { PaymentPort, SetupResult } from "./port";
import { testPaymentMethodFor, type TestCardError } from "./stripe/test-cards";

/**
 * The local card form's submission (no Stripe.js offline): a Stripe test card
 * number becomes its test payment method, which is saved through the port
 * like a card collected by Stripe Elements. It may need 3-D Secure (PAY-1).
 * The key names the card: a double submit saves once, another card after a
 * refusal is a new request.
 */
export async function saveTestCard(
  port: PaymentPort,
  input: {
    userId: string;
    email: string;
    number: string;
    expMonth: number;
    expYear: number;
    cvc: string;
    returnUrl: string;
    requestId: string;
    now: Date;
  },
): Promise<SetupResult | { status: "invalid"; error: TestCardError }> {
  const pm = testPaymentMethodFor(input, input.now);
  if (!pm.ok) return { status: "invalid", error: pm.error };
  return port.saveCard({
    userId: input.userId,
    email: input.email,
    paymentMethod: pm.paymentMethod,
    returnUrl: input.returnUrl,
    idempotencyKey: `setup:${input.userId}:${input.requestId}:${pm.paymentMethod}`,
  });
}
