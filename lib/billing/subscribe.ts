import { recordAudit } from "../audit/record";
import { loadCatalog } from "./catalog-load";
import { DEFAULT_RETURN_URL, payInvoiceCard, type PaymentOutcome, type PlanPurchase } from "./checkout";
import { liveSubscription, lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { draftBuyAgain } from "./buy-again";
import { draftSubscribe } from "./drafts";
import { BillingError } from "./errors";
import { issueInvoice } from "./invoice-store";
import { settleInvoice } from "./invoice-settle";
import { takeStockUnit } from "./stock";
import { canPayWith } from "./pay-methods";

/**
 * SUB-1: subscribe to a tier and cycle. Checks today's stock (SUB-8), pays
 * per WALLET-1, and starts the subscription at once. With a valid plan already
 * (SUB-9 allows one), the purchase replaces it now (SUB-6, buy-again.ts). `requestId` comes from the form, so a double submit buys once.
 */
export async function subscribe(deps: BillingDeps, input: PlanPurchase): Promise<PaymentOutcome> {
  const catalog = await loadCatalog(deps.db);
  const idempotencyKey = `subscribe:${input.userId}:${input.requestId}`;
  const invoice = await deps.db.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    const canCharge = await canPayWith(deps, input.userId, user.region, input.method, input.saveForRenewals);
    const replay = await tx.invoice.findUnique({ where: { idempotencyKey } });
    if (replay) return replay;
    const live = await liveSubscription(tx, input.userId);
    const pending = await tx.invoice.count({
      where: { userId: input.userId, kind: { in: ["subscribe", "upgrade"] }, status: "open" },
    });
    // An order still at 3-D Secure or at the wallet: finish it (or it expires, see expireAbandonedPayments) before another.
    if (pending > 0) throw new BillingError("payment_pending");
    // SUB-6: a valid plan is replaced, its unused value counting towards this one.
    const draft = live
      ? await draftBuyAgain(tx, catalog, live, { tier: input.tier, cycle: input.cycle, now: deps.now, idempotencyKey })
      : await draftSubscribe(tx, catalog, { ...input, region: user.region, idempotencyKey, now: deps.now, lock: true });
    if (draft.deduction.cardMinor > 0n && !canCharge) throw new BillingError("insufficient_funds");
    if (!live) await takeStockUnit(tx, input.tier, deps.now, catalog.stock);
    const { invoice } = await issueInvoice(tx, draft, deps.now);
    await recordAudit(tx, {
      actorId: input.userId,
      action: live ? "subscription.buy_again" : "subscription.subscribe",
      subjectType: "invoice",
      subjectId: invoice.id,
      ...(live && { before: { tier: live.tier, cycle: live.cycle, periodEnd: live.periodEnd.toISOString() } }),
      after: { tier: input.tier, cycle: input.cycle, totalMinor: String(draft.totalMinor), currency: draft.currency },
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
