import { recordAudit } from "../audit/record";
import { loadCatalog } from "./catalog-load";
import { regionRules } from "./catalog";
import { DEFAULT_RETURN_URL, payInvoiceCard, type PaymentOutcome } from "./checkout";
import { lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { BillingError } from "./errors";
import { cardOnlyDraft } from "./invoice-draft";
import { issueInvoice } from "./invoice-store";
import { canPayWith } from "./pay-methods";
import type { PayMethod } from "../payments";

/** The largest single top-up, in major units of any currency; a typo guard, not a policy. */
export const TOP_UP_MAX_MAJOR = 10_000n;

/**
 * WALLET-4: add cash with the payment method. The amount must be at least the
 * region's card minimum. The card part goes to the cash balance on payment.
 */
export async function topUp(
  deps: BillingDeps,
  input: { userId: string; amountMinor: bigint; requestId: string; returnUrl?: string; method?: PayMethod },
): Promise<PaymentOutcome> {
  const catalog = await loadCatalog(deps.db);
  const invoice = await deps.db.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    if (!(await canPayWith(deps, input.userId, user.region, input.method))) throw new BillingError("card_unavailable");
    const region = regionRules(catalog, user.region);
    if (input.amountMinor < region.cardMinimumMinor || input.amountMinor <= 0n)
      throw new BillingError("top_up_too_small");
    if (input.amountMinor > TOP_UP_MAX_MAJOR * 100n) throw new BillingError("top_up_too_large");
    const { invoice, created } = await issueInvoice(
      tx,
      cardOnlyDraft({
        kind: "top_up",
        idempotencyKey: `top_up:${input.userId}:${input.requestId}`,
        userId: input.userId,
        currency: region.currency,
        amountMinor: input.amountMinor,
      }),
      deps.now,
    );
    if (created)
      await recordAudit(tx, {
        actorId: input.userId,
        action: "wallet.top_up",
        subjectType: "invoice",
        subjectId: invoice.id,
        after: { amountMinor: String(input.amountMinor), currency: region.currency },
        at: deps.now,
      });
    return invoice;
  }, TX_OPTIONS);
  return payInvoiceCard(deps, invoice.id, input.returnUrl ?? DEFAULT_RETURN_URL, undefined, { method: input.method });
}
