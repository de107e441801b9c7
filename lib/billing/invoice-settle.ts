import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { postMany, system, userCash, userCredits, type Posting } from "../ledger";
import { takeDocumentNumbers } from "./document-series";
import { BILLING_KINDS, byRegisteredKind } from "./invoice-effects";
import { applyPaidInvoices } from "./subscription-effects";
import { cardToCash, unusedExcess } from "./card-excess";

type Line = { kind: string; amountMinor: bigint };
const sum = (lines: Line[], kind: string) =>
  lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amountMinor, 0n);

/**
 * Claims open invoices for a new status; only the ones this call moved are
 * returned (so effects apply once). A paid invoice takes its legal number
 * (INV-1) in the same transaction; a voided one takes none.
 */
async function claim(tx: Tx, ids: string[], status: "paid" | "void", now: Date) {
  if (ids.length === 0) return [];
  const moved = await tx.invoice.updateManyAndReturn({
    where: { id: { in: ids }, status: "open" },
    data: { status, nextAttemptAt: null, ...(status === "paid" && { paidAt: now }) },
    select: { id: true, number: true, user: { select: { region: true } } },
  });
  if (status === "paid" && moved.length) {
    const ordered = moved.sort((a, b) => (a.number < b.number ? -1 : 1));
    const numbers = await takeDocumentNumbers(
      tx,
      "invoice",
      ordered.map((m) => ({ key: m.id, region: m.user.region })),
      now,
    );
    await tx.$executeRaw`UPDATE "invoices" i SET "legal_number" = x.legal_number
      FROM jsonb_to_recordset(${jsonRows([...numbers].map(([id, legal_number]) => ({ id, legal_number })))}::jsonb) AS x(id uuid, legal_number text)
      WHERE i."id" = x.id`;
  }
  return tx.invoice.findMany({ where: { id: { in: moved.map((m) => m.id) } }, include: { lines: true } });
}

/** Marks one open invoice paid and applies what it bought (see settleInvoices). */
export async function settleInvoice(tx: Tx, invoiceId: string, now: Date) {
  await settleInvoices(tx, [invoiceId], now);
  return tx.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
}

/**
 * Marks open invoices paid and applies what they bought. The card part is
 * posted from payments clearing: to the cash balance for a top-up and for the
 * card-minimum excess, to revenue for the rest. Unused value beyond a new
 * plan's price goes to the cash balance (SUB-4). An invoice of a kind another
 * context sells takes that kind's registered effect (a resource pack's payment
 * goes to the user's packs, BILL-3: lib/api-billing/pack-effects.ts). Invoices already paid or void are left
 * alone, so settling twice changes nothing.
 */
export async function settleInvoices(tx: Tx, ids: string[], now: Date) {
  const invoices = await claim(tx, ids, "paid", now);
  const postings: Posting[] = [];
  for (const [effect, sold] of byRegisteredKind(invoices)) {
    postings.push(...(await effect.paidPostings(tx, sold, now)));
    await effect.paid(
      tx,
      sold.map((i) => i.id),
      now,
    );
  }
  for (const inv of invoices.filter((i) => BILLING_KINDS.has(i.kind))) {
    const { userId, currency } = inv;
    const excessUnused = unusedExcess(inv.lines);
    if (inv.cardMinor > 0n) {
      const toCash = cardToCash(inv);
      postings.push({
        idempotencyKey: `invoice:${inv.id}:card`,
        kind: "card_payment",
        userId,
        invoiceId: inv.id,
        at: now,
        entries: [
          { account: system("payments_clearing", currency), amountMinor: -inv.cardMinor },
          { account: userCash(userId, currency), amountMinor: toCash },
          { account: system("revenue", currency), amountMinor: inv.cardMinor - toCash },
        ],
      });
    }
    if (excessUnused > 0n)
      postings.push({
        idempotencyKey: `invoice:${inv.id}:unused-to-cash`,
        kind: "proration_excess",
        userId,
        invoiceId: inv.id,
        at: now,
        entries: [
          { account: system("revenue", currency), amountMinor: -excessUnused },
          { account: userCash(userId, currency), amountMinor: excessUnused },
        ],
      });
  }
  await postMany(tx, postings);
  await applyPaidInvoices(tx, invoices, now);
  return invoices;
}

/** Invoices whose card part failed for good: the wallet part goes back, nothing is bought. Returns the ones voided now. */
export async function voidInvoices(tx: Tx, ids: string[], now: Date) {
  const invoices = await claim(tx, ids, "void", now);
  for (const [effect, sold] of byRegisteredKind(invoices))
    await effect.voided(
      tx,
      sold.map((i) => i.id),
      now,
    );
  await postMany(
    tx,
    invoices
      .map((inv) => ({ inv, credits: -sum(inv.lines, "credits_applied"), cash: -sum(inv.lines, "cash_applied") }))
      .filter(({ credits, cash }) => credits + cash > 0n)
      .map(({ inv, credits, cash }) => ({
        idempotencyKey: `invoice:${inv.id}:wallet-reversal`,
        kind: "invoice_void",
        userId: inv.userId,
        invoiceId: inv.id,
        at: now,
        entries: [
          { account: system("revenue", inv.currency), amountMinor: -(credits + cash) },
          { account: userCredits(inv.userId, inv.currency), amountMinor: credits },
          { account: userCash(inv.userId, inv.currency), amountMinor: cash },
        ],
      })),
  );
  return invoices;
}
