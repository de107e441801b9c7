import type { Db, Tx } from "../db";
import { jsonRows } from "../db/json-rows";
import { loadCatalog } from "./catalog-load";
import { regionRules } from "./catalog";
import { chargeInvoices } from "./checkout";
import { planDeduction } from "./deduction";
import { TX_OPTIONS, type BillingDeps } from "./deps";
import { planSaleLines, type InvoiceDraft } from "./invoice-draft";
import { issueInvoices } from "./invoice-store";
import { settleInvoices } from "./invoice-settle";
import { nextPeriod } from "./renewal";
import type { Catalog } from "./types";

export type RenewalOutcome = "renewed" | "expired" | "lapsed" | "not_due" | "requires_action";

/** Renews one due subscription (see renewSubscriptions). */
export async function renewSubscription(deps: BillingDeps, subscriptionId: string, catalog?: Catalog): Promise<RenewalOutcome> {
  return (await renewSubscriptions(deps, [subscriptionId], catalog)).get(subscriptionId) ?? "not_due";
}

/**
 * SUB-2: renews due subscriptions, a batch at a time, in set-based SQL: one
 * transaction issues every renewal invoice and takes what the wallets cover
 * (WALLET-1), the card parts are charged off-session, and one more transaction
 * settles them. Invoice keys are `renewal:<subscription>:<period end>` and the
 * card charges reuse them, so a worker killed anywhere in here and run again
 * finds the same invoices and asks the processor for the same charges: one
 * renewal, never two charges. A subscription cancelled in time (SUB-3)
 * expires instead; one that cannot be paid lapses (dunning arrives with the
 * payments issue).
 */
export async function renewSubscriptions(deps: BillingDeps, ids: string[], catalog?: Catalog): Promise<Map<string, RenewalOutcome>> {
  const cat = catalog ?? (await loadCatalog(deps.db));
  const outcomes = new Map<string, RenewalOutcome>();
  const owners = await deps.db.subscription.findMany({ where: { id: { in: ids } }, select: { userId: true } });
  const chargeable = new Set<string>();
  for (const { userId } of owners) if (await deps.port.canCharge(userId)) chargeable.add(userId);

  const open = await deps.db.$transaction(async (tx) => {
    // Lock the owners in one order (no deadlocks between batches), like every billing flow does per user.
    await tx.$queryRaw`SELECT u."id" FROM "users" u JOIN "subscriptions" s ON s."user_id" = u."id"
      WHERE s."id" IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid) ORDER BY u."id" FOR UPDATE OF u`;
    const subs = await tx.subscription.findMany({ where: { id: { in: ids }, status: "active", periodEnd: { lte: deps.now } } });
    const key = (s: { id: string; periodEnd: Date }) => `renewal:${s.id}:${s.periodEnd.toISOString()}`;
    const issued = new Set((await tx.invoice.findMany({ where: { idempotencyKey: { in: subs.map(key) } }, select: { idempotencyKey: true } })).map((i) => i.idempotencyKey));
    const wallets = await lockWallets(tx, subs.map((s) => s.userId));
    const drafts: InvoiceDraft[] = [];
    const ending: { id: string; endedAt: Date; action: "subscription.expire" | "subscription.lapse" }[] = [];
    for (const sub of subs) {
      if (issued.has(key(sub))) continue;
      if (!sub.autoRenew) {
        ending.push({ id: sub.id, endedAt: sub.periodEnd, action: "subscription.expire" });
        continue;
      }
      const next = nextPeriod(sub, cat);
      const wallet = wallets.take(sub.userId, sub.currency);
      const deduction = planDeduction({ amountMinor: next.priceMinor, ...wallet, cardMinimumMinor: regionRules(cat, sub.region).cardMinimumMinor });
      if (deduction.cardMinor > 0n && !chargeable.has(sub.userId)) {
        ending.push({ id: sub.id, endedAt: sub.periodEnd, action: "subscription.lapse" });
        continue;
      }
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
    for (const e of ending) outcomes.set(e.id, e.action === "subscription.expire" ? "expired" : "lapsed");
    await issueInvoices(tx, drafts, deps.now);
    const invoices = await tx.invoice.findMany({ where: { idempotencyKey: { in: subs.map(key) } } });
    const walletOnly = invoices.filter((i) => i.status === "open" && i.cardMinor === 0n);
    await settleInvoices(tx, walletOnly.map((i) => i.id), deps.now);
    // This batch's or an earlier run's result for each due subscription with an invoice.
    for (const inv of invoices) {
      if (inv.status === "paid" || walletOnly.includes(inv)) outcomes.set(inv.subscriptionId!, "renewed");
      else if (inv.status === "void") outcomes.set(inv.subscriptionId!, "lapsed");
    }
    return invoices.filter((i) => i.status === "open" && i.cardMinor > 0n);
  }, TX_OPTIONS);

  const paid = await chargeInvoices(deps, open, "off_session");
  const lapsed: { id: string; endedAt: Date; action: "subscription.lapse" }[] = [];
  for (const inv of open) {
    const outcome = paid.get(inv.id)!;
    if (outcome.status === "paid") outcomes.set(inv.subscriptionId!, "renewed");
    else if (outcome.status === "requires_action") outcomes.set(inv.subscriptionId!, "requires_action");
    else lapsed.push({ id: inv.subscriptionId!, endedAt: inv.periodStart!, action: "subscription.lapse" });
  }
  if (lapsed.length) {
    await deps.db.$transaction((tx) => endSubscriptions(tx, lapsed, deps.now), TX_OPTIONS);
    for (const l of lapsed) outcomes.set(l.id, "lapsed");
  }
  for (const id of ids) if (!outcomes.has(id)) outcomes.set(id, "not_due");
  return outcomes;
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
    take: (userId: string, currency: string) => ({ creditsMinor: get(userId, "user_credits", currency), cashMinor: get(userId, "user_cash", currency) }),
    spend(userId: string, currency: string, credits: bigint, cash: bigint) {
      balance.set(`${userId}:user_credits:${currency}`, get(userId, "user_credits", currency) - credits);
      balance.set(`${userId}:user_cash:${currency}`, get(userId, "user_cash", currency) - cash);
    },
  };
}

/** Expired (cancelled in time) or lapsed (unpaid) subscriptions, with one audit row each. */
async function endSubscriptions(tx: Tx, ending: { id: string; endedAt: Date; action: string }[], now: Date) {
  if (ending.length === 0) return;
  await tx.$executeRaw`UPDATE "subscriptions" s SET "status" = 'expired', "ended_at" = x.ended_at, "scheduled_tier" = NULL,
      "scheduled_cycle" = NULL, "updated_at" = ${now}
    FROM jsonb_to_recordset(${jsonRows(ending.map((e) => ({ id: e.id, ended_at: e.endedAt })))}::jsonb) AS x(id uuid, ended_at timestamptz)
    WHERE s."id" = x.id`;
  await tx.auditLog.createMany({
    data: ending.map((e) => ({ actorId: null, action: e.action, subjectType: "subscription", subjectId: e.id, after: { endedAt: e.endedAt.toISOString() }, createdAt: now })),
  });
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
