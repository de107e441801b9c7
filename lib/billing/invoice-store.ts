import type { Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { postMany, system, userCash, userCredits } from "../ledger";
import type { InvoiceDraft } from "./invoice-draft";

/** Stores one drafted invoice (see issueInvoices). */
export async function issueInvoice(tx: Tx, draft: InvoiceDraft, now: Date) {
  return (await issueInvoices(tx, [draft], now)).get(draft.idempotencyKey)!;
}

/**
 * Stores drafted invoices with their lines and posts their wallet parts
 * (credits and cash to revenue), all in the caller's transaction and in a
 * fixed number of statements. An invoice whose idempotency key exists is not
 * issued again: the existing one comes back with `created: false`.
 */
export async function issueInvoices(tx: Tx, drafts: InvoiceDraft[], now: Date) {
  const inserted = drafts.length
    ? await tx.$queryRaw<{ id: string; idempotency_key: string }[]>`
      INSERT INTO "invoices" ("id", "user_id", "subscription_id", "kind", "status", "currency", "total_minor", "card_minor", "tier", "cycle",
        "plan_version_id", "period_start", "period_end", "idempotency_key", "created_at")
      SELECT gen_random_uuid(), x.user_id, x.subscription_id, x.kind::"InvoiceKind", 'open', x.currency, x.total, x.card, x.tier::"Tier",
        x.cycle::"BillingCycle", x.plan_version_id, x.period_start, x.period_end, x.key, ${now}
      FROM jsonb_to_recordset(${jsonRows(
        drafts.map((d) => ({
          user_id: d.userId,
          subscription_id: d.subscriptionId,
          kind: d.kind,
          currency: d.currency,
          total: d.totalMinor,
          card: d.deduction.cardMinor,
          tier: d.tier,
          cycle: d.cycle,
          plan_version_id: d.planVersionId,
          period_start: d.periodStart,
          period_end: d.periodEnd,
          key: d.idempotencyKey,
        })),
      )}::jsonb) AS x(user_id uuid, subscription_id uuid, kind text, currency text, total bigint, card bigint, tier text, cycle text,
        plan_version_id uuid, period_start timestamptz, period_end timestamptz, key text)
      ON CONFLICT ("idempotency_key") DO NOTHING RETURNING "id", "idempotency_key"`
    : [];
  const ids = new Map(inserted.map((r) => [r.idempotency_key, r.id]));
  const fresh = drafts.filter((d) => ids.has(d.idempotencyKey));
  if (fresh.length) {
    const lines = fresh.flatMap((d) =>
      d.lines.map((l) => ({ invoice_id: ids.get(d.idempotencyKey), kind: l.kind, amount: l.amountMinor })),
    );
    await tx.$executeRaw`INSERT INTO "invoice_lines" ("invoice_id", "kind", "amount_minor")
      SELECT x.invoice_id, x.kind::"InvoiceLineKind", x.amount FROM jsonb_to_recordset(${jsonRows(lines.map((l, i) => ({ ...l, i })))}::jsonb)
        AS x(invoice_id uuid, kind text, amount bigint, i int) ORDER BY x.i`;
    await postMany(
      tx,
      fresh
        .filter((d) => d.deduction.creditsMinor + d.deduction.cashMinor > 0n)
        .map((d) => {
          const { creditsMinor, cashMinor } = d.deduction;
          const invoiceId = ids.get(d.idempotencyKey)!;
          return {
            idempotencyKey: `invoice:${invoiceId}:wallet`,
            kind: "invoice_wallet",
            userId: d.userId,
            invoiceId,
            at: now,
            entries: [
              { account: userCredits(d.userId, d.currency), amountMinor: -creditsMinor },
              { account: userCash(d.userId, d.currency), amountMinor: -cashMinor },
              { account: system("revenue", d.currency), amountMinor: creditsMinor + cashMinor },
            ],
          };
        }),
    );
  }
  const rows = await tx.invoice.findMany({ where: { idempotencyKey: { in: drafts.map((d) => d.idempotencyKey) } } });
  return new Map(
    rows.map((invoice) => [invoice.idempotencyKey, { invoice, created: ids.has(invoice.idempotencyKey) }]),
  );
}
