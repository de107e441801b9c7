import { liveSubscription, type BillingDeps } from "./deps";
import { loadCatalog } from "./catalog-load";
import { draftSubscribe, draftUpgrade } from "./drafts";
import { BillingError } from "./errors";
import { stockStatus } from "./stock";
import type { Cycle, RegionId, Tier } from "./types";

export type Quote =
  | {
      ok: true;
      kind: "subscribe" | "upgrade";
      currency: string;
      totalMinor: bigint;
      lines: { kind: string; amountMinor: bigint }[];
      cardMinor: bigint;
      /** False when the card part cannot be charged: the action will be refused. */
      payable: boolean;
      periodEnd: Date;
    }
  | { ok: false; error: string; params?: Record<string, string> };

/**
 * What buying a tier and cycle would cost this user right now, line by line,
 * computed by the same code the purchase runs (read-only, nothing locked), so
 * the amount shown before confirming is the amount charged (SUB-4).
 */
export async function quotePurchase(deps: BillingDeps, input: { userId: string; region: RegionId; tier: Tier; cycle: Cycle }): Promise<Quote> {
  const catalog = await loadCatalog(deps.db);
  const canCharge = await deps.port.canCharge(input.userId);
  try {
    return await deps.db.$transaction(async (tx) => {
      const sub = await liveSubscription(tx, input.userId);
      if (!sub) {
        const stock = await stockStatus(tx, deps.now, catalog.stock);
        if (stock.tiers.find((s) => s.tier === input.tier)!.remaining === 0)
          throw new BillingError("sold_out", { nextRelease: stock.nextRelease.toISOString() });
      }
      const draft = sub
        ? await draftUpgrade(tx, catalog, sub, { tier: input.tier, cycle: input.cycle, now: deps.now, lock: false, idempotencyKey: "quote" })
        : await draftSubscribe(tx, catalog, { ...input, idempotencyKey: "quote", now: deps.now, lock: false });
      return {
        ok: true as const,
        kind: sub ? ("upgrade" as const) : ("subscribe" as const),
        currency: draft.currency,
        totalMinor: draft.totalMinor,
        lines: draft.lines,
        cardMinor: draft.deduction.cardMinor,
        payable: draft.deduction.cardMinor === 0n || canCharge,
        periodEnd: draft.periodEnd!,
      };
    });
  } catch (e) {
    if (e instanceof BillingError) return { ok: false, error: e.code, params: e.params };
    throw e;
  }
}
