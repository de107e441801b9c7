import { recordAudit } from "../audit/record";
import { loadCatalog } from "../billing/catalog-load";
import { regionRules } from "../billing/catalog";
import { readCatalogFile, type CatalogFile } from "../billing/catalog-file";
import { DEFAULT_RETURN_URL, payInvoiceCard, type PaymentOutcome } from "../billing/checkout";
import { lockUser, TX_OPTIONS, type BillingDeps } from "../billing/deps";
import { BillingError } from "../billing/errors";
import { cardOnlyDraft, type InvoiceLineDraft } from "../billing/invoice-draft";
import { issueInvoice } from "../billing/invoice-store";
import { settleInvoice } from "../billing/invoice-settle";
import { planDeduction } from "../billing/deduction";
import { canPayWith } from "../billing/pay-methods";
import type { PayMethod } from "../payments";
import type { Db, Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { lockPaygBalances } from "./balance-lock";
import { postMany, system, userCash, userPacks, walletOf, type Posting } from "../ledger";

export type PackProduct = { id: string; validDays: number; currency: string; priceMinor: bigint; valueMinor: bigint };

/** The packs on sale in a currency, from prisma/catalog.json (`api.packs`). */
export function packProducts(currency: string, file: CatalogFile = readCatalogFile()): PackProduct[] {
  return file.api.packs.flatMap((p) => {
    const price = p.prices[currency];
    return price
      ? [
          {
            id: p.id,
            validDays: p.validDays,
            currency,
            priceMinor: BigInt(price.priceMinor),
            valueMinor: BigInt(price.valueMinor),
          },
        ]
      : [];
  });
}

/**
 * BILL-3: buy a resource pack through the wallet and the payment method, in
 * WALLET-1's order: credits (WALLET-2: credits pay for packs), then cash,
 * then the card for the rest (at least the card minimum, the excess going to
 * cash). Money that calls in flight hold stays theirs: the wallet part comes
 * from what no call holds, under the same per-user lock the calls take. The
 * pack is made with its invoice and can be spent once the invoice is paid
 * (activatePacks); its validity runs from the payment. A retried request
 * (same request id) is the same order.
 */
export async function buyPack(
  deps: BillingDeps,
  input: { userId: string; productId: string; requestId: string; returnUrl?: string; method?: PayMethod },
): Promise<PaymentOutcome> {
  const catalog = await loadCatalog(deps.db);
  const invoice = await deps.db.$transaction(async (tx) => {
    const user = await lockUser(tx, input.userId);
    const region = regionRules(catalog, user.region);
    const { currency } = region;
    const product = packProducts(currency).find((p) => p.id === input.productId);
    if (!product) throw new BillingError("pack_unknown");
    const idempotencyKey = `pack:${input.userId}:${input.requestId}`;
    const replay = await tx.invoice.findUnique({ where: { idempotencyKey } });
    if (replay) return replay;
    const wallet = await spendableWallet(tx, input.userId, currency, deps.now);
    const deduction = planDeduction({
      amountMinor: product.priceMinor,
      ...wallet,
      cardMinimumMinor: region.cardMinimumMinor,
    });
    if (deduction.cardMinor > 0n && !(await canPayWith(deps, input.userId, user.region, input.method)))
      throw new BillingError("card_unavailable");
    const { invoice } = await issueInvoice(
      tx,
      {
        ...cardOnlyDraft({
          kind: "pack",
          idempotencyKey,
          userId: input.userId,
          currency,
          amountMinor: product.priceMinor,
        }),
        deduction,
        lines: [
          { kind: "pack", amountMinor: product.priceMinor },
          { kind: "credits_applied", amountMinor: -deduction.creditsMinor },
          { kind: "cash_applied", amountMinor: -deduction.cashMinor },
          { kind: "card_charged", amountMinor: -deduction.cardMinor },
          { kind: "excess_to_cash", amountMinor: deduction.excessToCashMinor },
        ].filter((l) => l.amountMinor !== 0n || l.kind === "pack") as InvoiceLineDraft[],
      },
      deps.now,
    );
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
      after: {
        product: product.id,
        priceMinor: String(product.priceMinor),
        valueMinor: String(product.valueMinor),
        currency,
        creditsMinor: String(deduction.creditsMinor),
        cashMinor: String(deduction.cashMinor),
        cardMinor: String(deduction.cardMinor),
      },
      at: deps.now,
    });
    if (invoice.cardMinor === 0n) return settleInvoice(tx, invoice.id, deps.now);
    return invoice;
  }, TX_OPTIONS);
  return payInvoiceCard(deps, invoice.id, input.returnUrl ?? DEFAULT_RETURN_URL, undefined, { method: input.method });
}

/**
 * The credits and cash a purchase may take: the balances less what live
 * pay-as-you-go holds keep for calls in flight (taken from cash first, then
 * credits: the cautious side), under the per-user lock the calls take.
 */
async function spendableWallet(tx: Tx, userId: string, currency: string, now: Date) {
  await lockPaygBalances(tx, [{ userId, currency }]);
  const wallet = await walletOf(tx, userId, currency, { lock: true });
  const [{ held }] = await tx.$queryRaw<{ held: bigint }[]>`
    SELECT COALESCE(sum("amount_minor"), 0)::bigint AS "held" FROM "api_holds" WHERE "user_id" = ${userId}::uuid AND "currency" = ${currency} AND "expires_at" > ${now}`;
  const fromCash = BigInt(held) < wallet.cashMinor ? BigInt(held) : wallet.cashMinor;
  const fromCredits = BigInt(held) - fromCash < wallet.creditsMinor ? BigInt(held) - fromCash : wallet.creditsMinor;
  return { cashMinor: wallet.cashMinor - fromCash, creditsMinor: wallet.creditsMinor - fromCredits };
}

/**
 * The postings that put paid packs' value in the users' pack accounts (BILL-3),
 * called while their invoices are settled, in the same transaction: the card
 * part from payments clearing (less a card-minimum excess, which goes to
 * cash), the wallet part back out of revenue (issuing the invoice booked it
 * there, as for any sale), and any value above the price from promotions (a
 * pack worth more than it costs).
 */
export async function packPostings(
  tx: Tx,
  invoices: { id: string; cardMinor: bigint; lines: { kind: string; amountMinor: bigint }[] }[],
  now: Date,
): Promise<Posting[]> {
  if (invoices.length === 0) return [];
  const packs = await tx.resourcePack.findMany({ where: { invoiceId: { in: invoices.map((i) => i.id) } } });
  return packs.map((p) => {
    const inv = invoices.find((i) => i.id === p.invoiceId)!;
    const line = (kind: string) => inv.lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amountMinor, 0n);
    const wallet = -(line("credits_applied") + line("cash_applied"));
    return {
      idempotencyKey: `invoice:${p.invoiceId}:card`,
      kind: "pack_purchase",
      userId: p.userId,
      invoiceId: p.invoiceId,
      at: now,
      entries: [
        { account: system("payments_clearing", p.currency), amountMinor: -inv.cardMinor },
        { account: userCash(p.userId, p.currency), amountMinor: line("excess_to_cash") },
        { account: system("revenue", p.currency), amountMinor: -wallet },
        { account: system("promotions", p.currency), amountMinor: p.priceMinor - p.valueMinor },
        { account: userPacks(p.userId, p.currency), amountMinor: p.valueMinor },
      ],
    };
  });
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
  await tx.resourcePack.updateMany({
    where: { invoiceId: { in: invoiceIds }, activatedAt: null, closedAt: null },
    data: { closedAt: now, remainingMinor: 0 },
  });
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
