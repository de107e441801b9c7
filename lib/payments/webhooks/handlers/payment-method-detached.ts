import { eachEvent, type EventHandler } from "./types";

/**
 * A saved method was detached at the processor (an Alipay agreement the buyer
 * ended in the wallet app, PAY-3): renewals no longer charge it, and the next
 * one comes as a reminder with a pay link.
 */
export const paymentMethodDetached: EventHandler<"payment_method.detached"> = eachEvent(async (deps, event) => {
  const forgotten = await deps.port.methodDetached(event.data.object.id);
  return forgotten > 0 ? "forgotten" : "not_saved";
});
