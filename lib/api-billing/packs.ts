import { recordAudit } from "../audit/record";
import { loadCatalog } from "../billing/catalog-load";
import { regionRules } from "../billing/catalog";
import { readCatalogFile, type CatalogFile } from "../billing/catalog-file";
import { DEFAULT_RETURN_URL, payInvoiceCard, type PaymentOutcome } from "../billing/checkout";
import { lockUser, TX_OPTIONS, type BillingDeps } from "../billing/deps";
import { BillingError } from "../billing/errors";
import { cardOnlyDraft } from "../billing/invoice-draft";
import { issueInvoice } from "../billing/invoice-store";
import type { Db, Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { postMany, system, userPacks, type Posting } from "../ledger";

export type PackProduct = { id: string; validDays: number; currency: string; priceMinor: bigint; valueMinor: bigint };

/** The packs on sale in a currency, from prisma/catalog.json (`api.packs`). */
export function packProducts(currency: string, file: CatalogFile = readCatalogFile()): PackProduct[] {
  return file.api.packs.flatMap((p) => {
    const price = p.prices[currency];
    return price ? [{ id: p.id, validDays: p.validDays, currency, priceMinor: BigInt(price.priceMinor), valueMinor: BigInt(price.valueMinor) }] : [];
  });
}

/**
 * BILL-3: buy a resource pack with the payment method. The pack is made with
 * its invoice and can be spent once the invoice is paid (activatePacks); its
 * validity runs from the payment. A retried request (same request id) is the
 * same order.
 */
export async function buyPack(deps: BillingDeps, input: { userId: string; productId: string; requestId: string; returnUrl?: string }): Promise<PaymentOutcome> {
  const catalog = await loadCatalog(deps.db);
  if (!(await deps.port.canCharge(input.userId))) throw new BillingError("card_unavailable");
  const invoice = await deps.db.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    const { currency } = regionRules(catalog, user.region);
    const product = packProducts(currency).find((p) => p.id === input.productId);
    if (!product) throw new BillingError("pack_unknown");
    const { invoice, created } = await issueInvoice(
      tx,
      cardOnlyDraft({ kind: "pack", idempotencyKey: `pack:${input.userId}:${input.requestId}`, userId: input.userId, currency, amountMinor: product.priceMinor }),
      deps.now,
    );
    if (created) {
      await tx.resourcePack.create({
        data: {
          userId: input.userId,
          invoiceId: invoice.id,
          product: product.id,
          currency,
          priceMinor: product.priceMinor,
          valueMinor: product.valueMinor,
          remainingMinor: product.valueMinor,
          validDays: product.validDays,
          createdAt: deps.now,
        },
      });
      await recordAudit(tx, {
        actorId: input.userId,
        action: "pack.buy",
        subjectType: "invoice",
        subjectId: invoice.id,
        after: { product: product.id, priceMinor: String(product.priceMinor), valueMinor: String(product.valueMinor), currency },
        at: deps.now,
      });
    }
    return invoice;
  }, TX_OPTIONS);
  return payInvoiceCard(deps, invoice.id, input.returnUrl ?? DEFAULT_RETURN_URL);
}

/**
 * The postings that put paid packs' value in the users' pack accounts: the
 * card payment from payments clearing, and any value above the price from
 * promotions (a pack worth more than it costs). Called while the invoices are
 * settled, in the same transaction.
 */
export async function packPostings(tx: Tx, invoiceIds: string[], now: Date): Promise<Posting[]> {
  if (invoiceIds.length === 0) return [];
  const packs = await tx.resourcePack.findMany({ where: { invoiceId: { in: invoiceIds } } });
  return packs.map((p) => ({
    idempotencyKey: `invoice:${p.invoiceId}:card`,
    kind: "pack_purchase",
    userId: p.userId,
    invoiceId: p.invoiceId,
    at: now,
    entries: [
      { account: system("payments_clearing", p.currency), amountMinor: -p.priceMinor },
      { account: system("promotions", p.currency), amountMinor: p.priceMinor - p.valueMinor },
      { account: userPacks(p.userId, p.currency), amountMinor: p.valueMinor },
    ],
  }));
}

/** Paid packs become spendable now, for their validity (one statement for all). */
export async function activatePacks(tx: Tx, invoiceIds: string[], now: Date) {
  if (invoiceIds.length === 0) return;
  await tx.$executeRaw`UPDATE "resource_packs" SET "activated_at" = ${now}, "expires_at" = ${now}::timestamptz + make_interval(days => "valid_days")
    WHERE "invoice_id" IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(${jsonRows(invoiceIds.map((id) => ({ id })))}::jsonb) x)
      AND "activated_at" IS NULL AND "closed_at" IS NULL`;
}

/** The packs of invoices whose card part failed for good are closed: never paid, never spent. */
export async function closeUnpaidPacks(tx: Tx, invoiceIds: string[], now: Date) {
  if (invoiceIds.length === 0) return;
  await tx.resourcePack.updateMany({ where: { invoiceId: { in: invoiceIds }, activatedAt: null, closedAt: null }, data: { closedAt: now, remainingMinor: 0 } });
}

/**
 * The sweep: packs past their expiry give what they still hold to revenue and
 * close. Each pack is claimed by its UPDATE (closed_at IS NULL), and the
 * posting's key is the pack's, so two sweeps at once post it once.
 */
export async function expirePacks(database: Db, now: Date): Promise<number> {
  return database.$transaction(async (tx) => {
    const closed = await tx.$queryRaw<{ id: string; user_id: string; currency: string; left: bigint }[]>`
      WITH due AS (
        SELECT "id", "remaining_minor" FROM "resource_packs"
        WHERE "closed_at" IS NULL AND "expires_at" <= ${now} ORDER BY "id" LIMIT 1000 FOR UPDATE SKIP LOCKED)
      UPDATE "resource_packs" p SET "closed_at" = ${now}, "remaining_minor" = 0 FROM due
      WHERE p."id" = due."id"
      RETURNING p."id"::text, p."user_id"::text, p."currency", due."remaining_minor" AS "left"`;
    await postMany(
      tx,
      closed
        .filter((p) => BigInt(p.left) > 0n)
        .map((p) => ({
          idempotencyKey: `pack:${p.id}:expired`,
          kind: "pack_expired",
          userId: p.user_id,
          at: now,
          entries: [
            { account: userPacks(p.user_id, p.currency), amountMinor: -BigInt(p.left) },
            { account: system("revenue", p.currency), amountMinor: BigInt(p.left) },
          ],
        })),
    );
    return closed.length;
  }, TX_OPTIONS);
}

/** Holds whose callers died stopped counting at their expiry (api_reserve ignores them); the sweep deletes them. */
export async function deleteDeadHolds(database: Db, now: Date): Promise<number> {
  return database.apiHold.deleteMany({ where: { expiresAt: { lte: now } } }).then((r) => r.count);
}
