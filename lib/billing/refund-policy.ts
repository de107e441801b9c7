import type { Db, Tx } from "../db";

/** Why the admin refund is not offered for a payment; null when it is. */
export type RefundRefusal = "china_site";

/**
 * SUB-7: China-site payments are never refunded, by anyone; only a processor
 * dispute takes that money back. A payment is China-site when it was made in
 * the China site's currency (the `cn` billing region's, *config*) or its
 * invoice belongs to a China-site account: either alone is enough, so a
 * currency or region change in configuration cannot open a refund.
 */
export function refundRefusal(
  payment: { currency: string; ownerRegion: string },
  chinaCurrency: string | null,
): RefundRefusal | null {
  return payment.ownerRegion === "cn" || payment.currency === chinaCurrency ? "china_site" : null;
}

/** The China site's currency, from the synced billing regions (null before the catalog is synced). */
export async function chinaCurrency(db: Db | Tx): Promise<string | null> {
  return (await db.billingRegion.findUnique({ where: { region: "cn" }, select: { currency: true } }))?.currency ?? null;
}
