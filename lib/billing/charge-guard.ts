import type { Tx } from "../db";
import { stockRules } from "./catalog-load";
import type { Charge, PaymentOutcome } from "./checkout";
import { voidInvoices } from "./invoice-settle";
import { releaseStockOf } from "./stock-release";
import { endSubscriptions } from "./subscription-end";

/**
 * Decides, just before the processor is asked, which charges may go out; the
 * caller records those as pending payments in the same transaction. The owners'
 * rows are read FOR SHARE, so a ban (or a past-due cancel, both of which lock
 * the user FOR UPDATE) either committed before this check and is seen, or
 * waits until the payments are recorded. Refused without asking the processor:
 * - an invoice no longer open (paid meanwhile, or voided by a past-due
 *   cancel: SUB-7, the retries stop);
 * - any charge of a banned account (SUB-7: never charged again, whatever
 *   renewal job or retry was already queued): the invoice is voided, its
 *   wallet part goes back, and a renewal's subscription ends where its paid
 *   period ended; an unpaid new subscription gives its stock unit back.
 * A ban that commits while an admitted charge is already at the processor
 * cannot recall it; that charge is the last one (the ban turned auto-renewal
 * off, and a retry after its failure is refused here).
 */
export async function admitCharges(tx: Tx, charges: Charge[], now: Date) {
  const owners = [...new Set(charges.map((c) => c.invoice.userId))].sort();
  const users = await tx.$queryRaw<{ id: string; status: string }[]>`
    SELECT "id"::text, "status"::text FROM "users" WHERE "id" IN (SELECT jsonb_array_elements_text(${JSON.stringify(owners)}::jsonb)::uuid)
    ORDER BY "id" FOR SHARE`;
  const banned = new Set(users.filter((u) => u.status === "banned").map((u) => u.id));
  const invoices = new Map(
    (await tx.invoice.findMany({ where: { id: { in: charges.map((c) => c.invoice.id) } } })).map((i) => [i.id, i]),
  );
  const refused = new Map<string, PaymentOutcome>();
  const allowed: Charge[] = [];
  for (const c of charges) {
    const inv = invoices.get(c.invoice.id)!;
    if (inv.status === "paid") refused.set(inv.id, { status: "paid", invoiceId: inv.id });
    else if (inv.status === "void") refused.set(inv.id, { status: "failed", invoiceId: inv.id, code: "invoice_void" });
    else if (banned.has(inv.userId))
      refused.set(inv.id, { status: "failed", invoiceId: inv.id, code: "account_banned" });
    else allowed.push(c);
  }
  const bannedIds = [...refused]
    .filter(([, o]) => o.status === "failed" && o.code === "account_banned")
    .map(([id]) => id);
  const voided = await voidInvoices(tx, bannedIds, now);
  await endSubscriptions(
    tx,
    voided
      .filter((i) => i.kind === "renewal")
      .map((i) => ({
        id: i.subscriptionId!,
        endedAt: i.periodStart!,
        action: "subscription.lapse",
        reason: "account_banned",
      })),
    now,
  );
  await releaseStockOf(tx, voided, stockRules());
  return { allowed, refused };
}
