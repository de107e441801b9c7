import { liveSubscription, type BillingDeps } from "./deps";
import { loadCatalog } from "./catalog-load";
import { takesStock } from "./buy-again";
import { draftReplacement, draftSubscribe } from "./drafts";
import { BillingError } from "./errors";
import { stockStatus } from "./stock";
import type { Cycle, RegionId, Tier } from "./types";

export type Quote =
  | {
      ok: true;
      /** A new subscription, an upgrade (SUB-4), or any other plan bought in place of a valid one (SUB-6). */
      kind: "subscribe" | "upgrade" | "buy_again";
      currency: string;
      totalMinor: bigint;
      lines: { kind: string; amountMinor: bigint }[];
      cardMinor: bigint;
      /** False when the card part cannot be charged: the action will be refused. */
      payable: boolean;
      periodEnd: Date;
      /** The valid plan this purchase replaces (SUB-4, SUB-6). */
      replaces: { tier: Tier; cycle: Cycle } | null;
    }
  | { ok: false; error: string; params?: Record<string, string> };

/**
 * What buying a tier and cycle would cost this user right now, line by line,
 * computed by the same code the purchase runs (read-only, nothing locked), so
 * the amount shown before confirming is the amount charged (SUB-4).
 */
export async function quotePurchase(
  deps: BillingDeps,
  input: { userId: string; region: RegionId; tier: Tier; cycle: Cycle },
): Promise<Quote> {
  const catalog = await loadCatalog(deps.db);
  const canCharge = await deps.port.canCharge(input.userId);
  try {
    return await deps.db.$transaction(async (tx) => {
      const sub = await liveSubscription(tx, input.userId);
      const kind = !sub ? "subscribe" : takesStock(sub, input) ? "buy_again" : "upgrade";
      if (kind !== "upgrade") {
        const stock = await stockStatus(tx, deps.now, catalog.stock);
        if (stock.tiers.find((s) => s.tier === input.tier)!.remaining === 0)
          throw new BillingError("sold_out", { nextRelease: stock.nextRelease.toISOString() });
      }
      const draft = sub
        ? await draftReplacement(tx, catalog, sub, {
            tier: input.tier,
            cycle: input.cycle,
            now: deps.now,
            lock: false,
            idempotencyKey: "quote",
          })
        : await draftSubscribe(tx, catalog, { ...input, idempotencyKey: "quote", now: deps.now, lock: false });
      return {
        ok: true as const,
        kind,
        currency: draft.currency,
        totalMinor: draft.totalMinor,
        lines: draft.lines,
        cardMinor: draft.deduction.cardMinor,
        payable: draft.deduction.cardMinor === 0n || canCharge,
        periodEnd: draft.periodEnd!,
        replaces: sub ? { tier: sub.tier, cycle: sub.cycle } : null,
      };
    });
  } catch (e) {
    if (e instanceof BillingError) return { ok: false, error: e.code, params: e.params };
    throw e;
  }
}
