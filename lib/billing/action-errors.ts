import { PaymentUnavailableError } from "../payments/port";
import type { ActionResult } from "../http/action-result";
import { BillingError } from "./errors";

/**
 * Runs a billing flow for a server action: a refusal becomes a typed result
 * (its code is an i18n key, its params fill the message), anything else is a
 * bug and is thrown to the error page.
 */
export async function asActionResult<T extends object>(run: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, ...(await run()) };
  } catch (e) {
    if (e instanceof BillingError) return { ok: false, error: e.code, params: e.params };
    // The processor did not answer: nothing is known to have happened, and the same request may be tried again.
    if (e instanceof PaymentUnavailableError) return { ok: false, error: "processor_unavailable" };
    throw e;
  }
}
