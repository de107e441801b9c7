import { recordAudit } from "../audit/record";
import { loadCatalog } from "./catalog-load";
import { DEFAULT_RETURN_URL, payInvoiceCard, type PaymentOutcome, type PlanPurchase } from "./checkout";
import { liveSubscription, lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { draftUpgrade } from "./drafts";
import { BillingError } from "./errors";
import { issueInvoice } from "./invoice-store";
import { settleInvoice } from "./invoice-settle";
import { canPayWith } from "./pay-methods";

/**
 * SUB-4/SUB-6: upgrade at once. The user's row lock makes two simultaneous
 * upgrades run in turn; the second then finds the plan already changed, or
 * the first still waiting for its card, and is refused: exactly one succeeds.
 * `requestId` (from the form) makes a resubmitted request the same upgrade; a
 * declined one can be retried with a new request. Exempt from stock (SUB-8).
 */
export async function upgrade(deps: BillingDeps, input: PlanPurchase): Promise<PaymentOutcome> {
  const catalog = await loadCatalog(deps.db);
  const invoice = await deps.db.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    const canCharge = await canPayWith(deps, input.userId, user.region, input.method, input.saveForRenewals);
    const idempotencyKey = `upgrade:${input.userId}:${input.requestId}`;
    const replay = await tx.invoice.findUnique({ where: { idempotencyKey } });
    if (replay) return replay;
    const sub = await liveSubscription(tx, input.userId);
    if (!sub) throw new BillingError("no_subscription");
    if (await tx.invoice.count({ where: { subscriptionId: sub.id, kind: "upgrade", status: "open" } }))
      throw new BillingError("payment_pending");
    const draft = await draftUpgrade(tx, catalog, sub, {
      tier: input.tier,
      cycle: input.cycle,
      now: deps.now,
      lock: true,
      idempotencyKey,
    });
    if (draft.deduction.cardMinor > 0n && !canCharge) throw new BillingError("insufficient_funds");
    const { invoice } = await issueInvoice(tx, draft, deps.now);
    await recordAudit(tx, {
      actorId: input.userId,
      action: "subscription.upgrade",
      subjectType: "subscription",
      subjectId: sub.id,
      before: { tier: sub.tier, cycle: sub.cycle, periodEnd: sub.periodEnd.toISOString() },
      after: { tier: input.tier, cycle: input.cycle, chargeMinor: String(draft.totalMinor), currency: draft.currency },
      at: deps.now,
    });
    if (invoice.cardMinor === 0n) return settleInvoice(tx, invoice.id, deps.now);
    return invoice;
  }, TX_OPTIONS);
  // Paid from the wallet already, or a replay of a finished purchase: this only reports it.
  return payInvoiceCard(deps, invoice.id, input.returnUrl ?? DEFAULT_RETURN_URL, undefined, {
    method: input.method,
    saveForRenewals: input.saveForRenewals,
  });
}
