import { recordAudit } from "../audit/record";
import { loadCatalog } from "./catalog-load";
import { DEFAULT_RETURN_URL, payInvoiceCard, type PaymentOutcome } from "./checkout";
import { liveSubscription, lockUser, TX_OPTIONS, type BillingDeps } from "./deps";
import { draftSubscribe } from "./drafts";
import { BillingError } from "./errors";
import { issueInvoice } from "./invoice-store";
import { settleInvoice } from "./invoice-settle";
import { takeStockUnit } from "./stock";
import type { Cycle, Tier } from "./types";

/**
 * SUB-1: subscribe to a tier and cycle. Checks SUB-9 (one subscription) and
 * today's stock (SUB-8), pays per WALLET-1, and starts the subscription at
 * once. `requestId` comes from the form, so a double submit buys once.
 */
export async function subscribe(
  deps: BillingDeps,
  input: { userId: string; tier: Tier; cycle: Cycle; requestId: string; returnUrl?: string },
): Promise<PaymentOutcome> {
  const catalog = await loadCatalog(deps.db);
  const canCharge = await deps.port.canCharge(input.userId);
  const idempotencyKey = `subscribe:${input.userId}:${input.requestId}`;
  const invoice = await deps.db.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    const replay = await tx.invoice.findUnique({ where: { idempotencyKey } });
    if (replay) return replay;
    if (await liveSubscription(tx, input.userId)) throw new BillingError("already_subscribed");
    const pending = await tx.invoice.count({ where: { userId: input.userId, kind: "subscribe", status: "open" } });
    // An order still at 3-D Secure: finish it (or it expires, see expireAbandonedPayments) before another.
    if (pending > 0) throw new BillingError("payment_pending");
    const draft = await draftSubscribe(tx, catalog, { ...input, region: user.region, idempotencyKey, now: deps.now, lock: true });
    if (draft.deduction.cardMinor > 0n && !canCharge) throw new BillingError("insufficient_funds");
    await takeStockUnit(tx, input.tier, deps.now, catalog.stock);
    const { invoice } = await issueInvoice(tx, draft, deps.now);
    await recordAudit(tx, {
      actorId: input.userId,
      action: "subscription.subscribe",
      subjectType: "invoice",
      subjectId: invoice.id,
      after: { tier: input.tier, cycle: input.cycle, totalMinor: String(draft.totalMinor), currency: draft.currency },
      at: deps.now,
    });
    if (invoice.cardMinor === 0n) return settleInvoice(tx, invoice.id, deps.now);
    return invoice;
  }, TX_OPTIONS);
  // Paid from the wallet already, or a replay of a finished purchase: this only reports it.
  return payInvoiceCard(deps, invoice.id, input.returnUrl ?? DEFAULT_RETURN_URL);
}
