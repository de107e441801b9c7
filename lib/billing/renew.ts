import type { Db, Tx } from "../db";
import { loadCatalog } from "./catalog-load";
import { regionRules } from "./catalog";
import { chargeInvoices, scheduledChargeKey } from "./checkout";
import { planDeduction } from "./deduction";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { planSaleLines, type InvoiceDraft } from "./invoice-draft";
import { issueInvoices } from "./invoice-store";
import { settleInvoices } from "./invoice-settle";
import { nextPeriod } from "./next-period";
import { endSubscriptions, type Ending } from "./subscription-end";
import type { Catalog } from "./types";

export type RenewalOutcome = "renewed" | "expired" | "past_due" | "lapsed" | "pending" | "not_due";

/** Renews one due subscription (see renewSubscriptions). */
export async function renewSubscription(
  deps: BillingDeps,
  subscriptionId: string,
  catalog?: Catalog,
): Promise<RenewalOutcome> {
  return (await renewSubscriptions(deps, [subscriptionId], catalog)).get(subscriptionId) ?? "not_due";
}

/**
 * SUB-2: renews due subscriptions, a batch at a time, in set-based SQL: one
 * transaction issues every renewal invoice and takes what the wallets cover
 * (WALLET-1), the card parts are charged off-session, and one more transaction
 * settles them. Invoice keys are `renewal:<subscription>:<period end>` and the
 * card charges reuse them, so a worker killed anywhere in here and run again
 * finds the same invoices and asks the processor for the same charges: one
 * renewal, never two charges. A subscription cancelled in time (SUB-3), or
 * one of a banned account (SUB-7), expires instead. A card part that cannot
 * be charged (declined, or no card saved) starts dunning: past due, retried on
 * schedule, then lapsed.
 * `payment_intent.succeeded` settles a charge the processor confirms later.
 */
export async function renewSubscriptions(
  deps: BillingDeps,
  ids: string[],
  catalog?: Catalog,
): Promise<Map<string, RenewalOutcome>> {
  const cat = catalog ?? (await loadCatalog(deps.db));
  const outcomes = new Map<string, RenewalOutcome>();
  const open = await deps.db.$transaction(async (tx) => {
    // Lock the owners in one order (no deadlocks between batches), like every billing flow does per user.
    const owners = await tx.$queryRaw<
      { id: string; status: string }[]
    >`SELECT u."id"::text, u."status"::text FROM "users" u JOIN "subscriptions" s ON s."user_id" = u."id"
      WHERE s."id" IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) ORDER BY u."id" FOR UPDATE OF u`;
    // SUB-7: a banned account is never renewed, even if its auto-renewal was somehow left on.
    const banned = new Set(owners.filter((o) => o.status === "banned").map((o) => o.id));
    const subs = await tx.subscription.findMany({
      where: { id: { in: ids }, status: "active", periodEnd: { lte: deps.now } },
    });
    const key = (s: { id: string; periodEnd: Date }) => `renewal:${s.id}:${s.periodEnd.toISOString()}`;
    const issued = new Set(
      (
        await tx.invoice.findMany({
          where: { idempotencyKey: { in: subs.map(key) } },
          select: { idempotencyKey: true },
        })
      ).map((i) => i.idempotencyKey),
    );
    const wallets = await lockWallets(
      tx,
      subs.map((s) => s.userId),
    );
    const drafts: InvoiceDraft[] = [];
    const ending: Ending[] = [];
    for (const sub of subs) {
      if (issued.has(key(sub))) continue;
      if (!sub.autoRenew || banned.has(sub.userId)) {
        ending.push({
          id: sub.id,
          endedAt: sub.periodEnd,
          action: "subscription.expire",
          ...(banned.has(sub.userId) && { reason: "account_banned" }),
        });
        continue;
      }
      const next = nextPeriod(sub, cat);
      const wallet = wallets.take(sub.userId, sub.currency);
      const deduction = planDeduction({
        amountMinor: next.priceMinor,
        ...wallet,
        cardMinimumMinor: regionRules(cat, sub.region).cardMinimumMinor,
      });
      // What this renewal takes stays taken for the owner's next subscription in the batch.
      wallets.spend(sub.userId, sub.currency, deduction.creditsMinor, deduction.cashMinor);
      drafts.push({
        kind: "renewal",
        idempotencyKey: key(sub),
        userId: sub.userId,
        subscriptionId: sub.id,
        currency: sub.currency,
        tier: next.tier,
        cycle: next.cycle,
        planVersionId: next.planVersionId,
        periodStart: next.periodStart,
        periodEnd: next.periodEnd,
        totalMinor: next.priceMinor,
        deduction,
        lines: planSaleLines({ priceMinor: next.priceMinor, discounts: [], deduction }),
      });
    }
    await endSubscriptions(tx, ending, deps.now);
    for (const e of ending) outcomes.set(e.id, "expired");
    await issueInvoices(tx, drafts, deps.now);
    const invoices = await tx.invoice.findMany({ where: { idempotencyKey: { in: subs.map(key) } } });
    const walletOnly = invoices.filter((i) => i.status === "open" && i.cardMinor === 0n);
    await settleInvoices(
      tx,
      walletOnly.map((i) => i.id),
      deps.now,
    );
    // This batch's or an earlier run's result for each due subscription with an invoice.
    for (const inv of invoices) {
      if (inv.status === "paid" || walletOnly.includes(inv)) outcomes.set(inv.subscriptionId!, "renewed");
      else if (inv.status === "void") outcomes.set(inv.subscriptionId!, "lapsed");
    }
    // An invoice already in dunning is the retry job's, not charged again here.
    return invoices.filter((i) => i.status === "open" && i.cardMinor > 0n && i.attempts === 0);
  }, TX_OPTIONS);

  const paid = await chargeInvoices(
    deps,
    open.map((invoice) => ({ invoice, key: scheduledChargeKey(invoice) })),
    "off_session",
  );
  const after = await stateAfterCharge(
    deps.db,
    open.map((i) => i.subscriptionId!),
  );
  for (const inv of open) {
    const outcome = paid.get(inv.id)!;
    const status = after.get(inv.subscriptionId!);
    outcomes.set(
      inv.subscriptionId!,
      outcome.status === "paid"
        ? "renewed"
        : status === "past_due"
          ? "past_due"
          : status === "expired"
            ? "lapsed"
            : "pending",
    );
  }
  for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, "not_due");
  return outcomes;
}

async function stateAfterCharge(db: Db, ids: string[]) {
  const rows = await db.subscription.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

/**
 * SUB-2 dunning: charges overdue renewals again, off-session, each retry under
 * its own key (`…:retry-<n>`). A success restores the subscription; a failure
 * schedules the next retry or, after the last, lapses it (advanceDunning).
 */
export async function retryOverdueRenewals(deps: BillingDeps, invoiceIds: string[]) {
  const invoices = await deps.db.invoice.findMany({
    where: { id: { in: invoiceIds }, status: "open", kind: "renewal", nextAttemptAt: { lte: deps.now } },
  });
  return chargeInvoices(
    deps,
    invoices.map((invoice) => ({ invoice, key: scheduledChargeKey(invoice) })),
    "off_session",
  );
}

/** The owners' wallets, locked for the transaction, with what this batch has already spent from them. */
async function lockWallets(tx: Tx, userIds: string[]) {
  const rows = userIds.length
    ? await tx.$queryRaw<{ user_id: string; kind: string; currency: string; balance_minor: bigint }[]>`
        SELECT "user_id"::text, "kind"::text, "currency", "balance_minor" FROM "ledger_accounts"
        WHERE "user_id" IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(userIds)])}::jsonb)::uuid) ORDER BY "id" FOR UPDATE`
    : [];
  const balance = new Map(rows.map((r) => [`${r.user_id}:${r.kind}:${r.currency}`, BigInt(r.balance_minor)]));
  const get = (u: string, k: string, c: string) => balance.get(`${u}:${k}:${c}`) ?? 0n;
  return {
    take: (userId: string, currency: string) => ({
      creditsMinor: get(userId, "user_credits", currency),
      cashMinor: get(userId, "user_cash", currency),
    }),
    spend(userId: string, currency: string, credits: bigint, cash: bigint) {
      balance.set(`${userId}:user_credits:${currency}`, get(userId, "user_credits", currency) - credits);
      balance.set(`${userId}:user_cash:${currency}`, get(userId, "user_cash", currency) - cash);
    },
  };
}

/** Subscriptions whose period has ended: each needs a renewal or an expiry. */
export async function dueSubscriptionIds(deps: { db: Db; now: Date }, limit = 1000): Promise<string[]> {
  const rows = await deps.db.subscription.findMany({
    where: { status: "active", periodEnd: { lte: deps.now } },
    select: { id: true },
    orderBy: { periodEnd: "asc" },
    take: limit,
  });
  return rows.map((r) => r.id);
}
