import type { Tx } from "../db";
import { voidInvoices } from "./invoice-settle";
import { endSubscriptions } from "./subscription-end";

/**
 * SUB-7 with SUB-2 and SUB-3: a past-due subscriber cancels. Cancelling ends
 * the subscription at the end of the paid period (SUB-3), and for a past-due
 * one that period is already over (its renewal was never paid), so it ends
 * now, with no refund (SUB-7: unused time is never paid out; nothing of the
 * unpaid renewal was used). The open renewal invoice is voided (what the
 * wallet had put towards it goes back, as when dunning lapses), so no retry
 * finds it any more: the dunning sweep and a queued retry job look only at
 * open invoices, and the charge guard re-reads the invoice under the user's
 * lock before any charge. The cutoff does not apply: the renewal it guards
 * has already happened and failed.
 */
export async function endPastDue(tx: Tx, sub: { id: string; periodEnd: Date }, userId: string, now: Date) {
  const open = await tx.invoice.findMany({
    where: { subscriptionId: sub.id, kind: "renewal", status: "open" },
    select: { id: true },
  });
  await voidInvoices(
    tx,
    open.map((i) => i.id),
    now,
  );
  await tx.subscription.update({ where: { id: sub.id }, data: { autoRenew: false, canceledAt: now, updatedAt: now } });
  await endSubscriptions(
    tx,
    [{ id: sub.id, endedAt: sub.periodEnd, action: "subscription.cancel", actorId: userId, reason: "past_due" }],
    now,
  );
  return tx.subscription.findUniqueOrThrow({ where: { id: sub.id } });
}
