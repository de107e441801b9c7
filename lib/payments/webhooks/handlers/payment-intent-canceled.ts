import { applyPaymentIntents } from "./payment-intent";
import type { EventHandler } from "./types";

/** Given up (a WeChat Pay code no one scanned, PAY-3): handled like a failed charge, so the order is voided and nothing is granted. */
export const paymentIntentCanceled: EventHandler<"payment_intent.canceled"> = (deps, events) =>
  applyPaymentIntents(
    deps,
    events.map((e) => e.data.object),
  );
