import { syncModelPrices } from "../api-billing/prices";
import type { Db } from "../db";
import type { CatalogFile } from "../billing/catalog-file";
import { CYCLES, TIERS } from "../billing/types";

/**
 * Brings the database's catalog in line with the configuration file, in one
 * transaction. Regions are overwritten. Plan versions are added; an existing
 * version keeps its quotas and prices (subscribers hold it, PLAN-2), except
 * that prices for a new currency or cycle may be added and `current` follows
 * the file. A changed price on an existing version is refused: publish a new
 * version instead. The pay-as-you-go price list is synced alongside.
 */
export async function syncCatalog(database: Db, file: CatalogFile, now: Date) {
  // Dozens of small statements at start-up: Prisma's 5-second default failed starts on a busy machine (REL-3: a
  // restart must not fail for being slow); nothing else waits on these rows then.
  await database.$transaction(
    async (tx) => {
      for (const [region, r] of Object.entries(file.regions) as [
        keyof CatalogFile["regions"],
        CatalogFile["regions"]["intl"],
      ][]) {
        const data = {
          currency: r.currency,
          timeZone: r.timeZone,
          cancelCutoffSeconds: Math.round(r.cancelCutoffHours * 3600),
          cardMinimumMinor: BigInt(r.cardMinimumMinor),
          firstOrderDiscountBps: r.firstOrderDiscountBps,
        };
        await tx.billingRegion.upsert({ where: { region }, create: { region, ...data }, update: data });
      }
      // Clear `current` first: the partial unique index allows one current version per tier.
      await tx.planVersion.updateMany({ data: { current: false } });
      for (const v of file.versions) {
        for (const tier of TIERS) {
          const q = v.quotas[tier];
          const row = await tx.planVersion.upsert({
            where: { tier_version: { tier, version: v.version } },
            create: { tier, version: v.version, current: v.current, ...q, createdAt: now },
            update: { current: v.current },
          });
          for (const [currency, byTier] of Object.entries(v.prices)) {
            for (const cycle of CYCLES) {
              const amountMinor = BigInt(byTier[tier][cycle]);
              const key = { planVersionId: row.id, cycle, currency };
              const existing = await tx.planPrice.findUnique({ where: { planVersionId_cycle_currency: key } });
              if (!existing) await tx.planPrice.create({ data: { ...key, amountMinor } });
              else if (existing.amountMinor !== amountMinor)
                throw new Error(
                  `catalog: ${tier} v${v.version} ${currency} ${cycle} price changed; publish a new version instead`,
                );
            }
          }
        }
      }
      // BILL-1's per-token prices come from the same file and follow the same rule: add, never rewrite.
      await syncModelPrices(tx, file.api);
      // Dozens of statements in a row: on a machine under load they can take longer than Prisma's 5 s default,
      // and a start-up that fails for that would be a worse outcome than a slow one.
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}
