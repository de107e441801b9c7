import type { Tx } from "../db";
import { TIER_RANK } from "./catalog";
import { releaseStockUnit } from "./stock";
import type { StockRules, Tier } from "./types";

/**
 * Gives back the stock units of purchases voided unpaid: a new subscription's,
 * and a replacement's that was not an upgrade. A voided replacement leaves the
 * old plan in place, so the subscription still says what was replaced.
 */
export async function releaseStockOf(
  tx: Tx,
  voided: { kind: string; tier: Tier | null; subscriptionId: string | null; createdAt: Date }[],
  rules: StockRules,
) {
  const replaced = voided.filter((i) => i.kind === "upgrade" && i.subscriptionId);
  const subs = replaced.length
    ? new Map(
        (
          await tx.subscription.findMany({
            where: { id: { in: replaced.map((i) => i.subscriptionId!) } },
            select: { id: true, tier: true },
          })
        ).map((s) => [s.id, s.tier]),
      )
    : new Map<string, Tier>();
  for (const inv of voided) {
    if (!inv.tier) continue;
    const oldTier = inv.subscriptionId ? subs.get(inv.subscriptionId) : undefined;
    const tookStock =
      inv.kind === "subscribe" ||
      (inv.kind === "upgrade" && oldTier !== undefined && TIER_RANK[inv.tier] <= TIER_RANK[oldTier]);
    if (tookStock) await releaseStockUnit(tx, inv.tier, inv.createdAt, rules);
  }
}
