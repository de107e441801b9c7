import type { Db } from "../db";
import { payInvoiceCard, type PaymentOutcome } from "./checkout";
import type { BillingDeps } from "./deps";
import { BillingError } from "./errors";
import { canPayWith } from "./pay-methods";
import type { PayMethod } from "../payments";

/** The renewal a past-due subscription waits on (SUB-2), with where dunning stands. */
export async function overdueRenewal(db: Db, subscriptionId: string) {
  const invoice = await db.invoice.findFirst({
    where: { subscriptionId, kind: "renewal", status: "open" },
    include: { payments: { orderBy: { createdAt: "desc" }, take: 1 } },
  });
  if (!invoice) return null;
  return {
    invoiceId: invoice.id,
    amountMinor: invoice.cardMinor,
    currency: invoice.currency,
    failures: invoice.attempts,
    nextAttemptAt: invoice.nextAttemptAt,
    lastFailure: invoice.payments[0]?.failureCode ?? null,
  };
}

/**
 * The subscriber pays an overdue renewal now, with the customer present (so
 * 3-D Secure can be passed, PAY-1). `requestId` makes it its own charge,
 * apart from the scheduled retries; a decline leaves dunning as it was.
 */
export async function payOverdue(
  deps: BillingDeps,
  input: { userId: string; requestId: string; returnUrl: string; method?: PayMethod; saveForRenewals?: boolean },
): Promise<PaymentOutcome> {
  const invoice = await deps.db.invoice.findFirst({
    where: { userId: input.userId, kind: "renewal", status: "open" },
    include: { user: { select: { region: true } } },
  });
  if (!invoice) throw new BillingError("nothing_to_pay");
  // PAY-3: a renewal no saved method can pay off-session is paid here, with a wallet the region offers.
  if (!(await canPayWith(deps, input.userId, invoice.user.region, input.method, input.saveForRenewals)))
    throw new BillingError("card_unavailable");
  return payInvoiceCard(deps, invoice.id, input.returnUrl, input.requestId, {
    method: input.method,
    saveForRenewals: input.saveForRenewals,
  });
}
