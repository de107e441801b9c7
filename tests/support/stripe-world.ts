import type Stripe from "stripe";
import { beforeAll, expect } from "vitest";
import type { BillingDeps } from "../../lib/billing";
import { setupFreshDatabase } from "./database";
import { localStripePort, postWebhook, recordedEvents, setupLocalStripe, signed, WEBHOOK_SECRET } from "./stripe";

/** A fresh database and a local Stripe server, with billing deps at any moment and the app's webhook route pointed at it. */
export function setupStripeWorld() {
  const t = setupFreshDatabase();
  const local = setupLocalStripe();
  beforeAll(() => {
    // The webhook route reads these (through env()) on its first request.
    process.env.APP_ENV = "test";
    process.env.STRIPE_LOCAL_URL = local.url;
    process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
  });
  const deps = (now: Date): BillingDeps => ({ db: t.db, now, port: localStripePort(t.db, local, () => now) });
  return { t, local, deps };
}

type World = ReturnType<typeof setupStripeWorld>;

/** What a wallet payment test does besides calling the product (PAY-3): the buyer's answer, the intent, the webhooks. */
export function walletSteps({ t, local }: World) {
  return {
    /** The buyer answers at the local wallet page (where Alipay's redirect and WeChat Pay's code lead). */
    answer: (walletUrl: string, result: "approve" | "decline" | "abandon") =>
      fetch(`${walletUrl}/complete`, { method: "POST", body: new URLSearchParams({ result }), redirect: "manual" }),
    /** The intent of an invoice's latest payment, as the processor has it. */
    async intentOf(invoiceId: string) {
      const payment = await t.db.payment.findFirstOrThrow({ where: { invoiceId }, orderBy: { createdAt: "desc" } });
      return local.stripe.paymentIntents.retrieve(payment.providerPaymentId!);
    },
    /** Delivers the recorded events of these types about `objectId` to the app's webhook route, as Stripe would. */
    async deliver(objectId: string, types: string[]) {
      const events = (await recordedEvents(local, types)).filter(
        (e) => (e.data.object as { id?: string }).id === objectId,
      );
      expect(events.length).toBeGreaterThan(0);
      for (const e of events) expect((await postWebhook(signed(e))).status).toBe(200);
      return events as Stripe.Event[];
    },
  };
}
