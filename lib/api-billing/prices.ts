import type { CatalogFile } from "../billing/catalog-file";
import type { Db, Tx } from "../db";
import type { ModelPrice } from "./fee";

/** "0.6" (minor units, up to 6 decimals) → 600000 micro-units. */
export function toMicro(decimal: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(decimal);
  if (!m) throw new RangeError(`not a price: ${decimal}`);
  return BigInt(m[1]) * 1_000_000n + BigInt((m[2] ?? "").padEnd(6, "0"));
}

/**
 * Brings the price rows in line with the catalog file (BILL-1): missing rows
 * are added; a row already there keeps its price, and a file that changes one
 * is refused (publish a later version instead), as calls were billed at it.
 */
export async function syncModelPrices(tx: Tx, api: CatalogFile["api"]) {
  for (const v of api.priceVersions) {
    const effectiveFrom = new Date(v.effectiveFrom);
    for (const [currency, models] of Object.entries(v.prices))
      for (const [model, p] of Object.entries(models)) {
        const row = {
          inputPerMillionMicro: toMicro(p.input),
          outputPerMillionMicro: toMicro(p.output),
          cachedRatioBps: api.cachedInputRatioBps,
        };
        const key = { model, currency, effectiveFrom };
        const existing = await tx.modelPrice.findUnique({ where: { model_currency_effectiveFrom: key } });
        if (!existing) await tx.modelPrice.create({ data: { ...key, ...row } });
        else if (
          existing.inputPerMillionMicro !== row.inputPerMillionMicro ||
          existing.outputPerMillionMicro !== row.outputPerMillionMicro ||
          existing.cachedRatioBps !== row.cachedRatioBps
        )
          throw new Error(
            `catalog: the ${currency} price of ${model} from ${v.effectiveFrom} changed; add a later price version instead`,
          );
      }
  }
}

export type PriceInForce = ModelPrice & { cachedRatioBps: number; effectiveFrom: Date };

/** The price in force for a model and currency at a moment: the latest version effective by then. */
export async function priceAt(
  database: Db | Tx,
  model: string,
  currency: string,
  at: Date,
): Promise<PriceInForce | null> {
  return database.modelPrice.findFirst({
    where: { model: model.trim().toLowerCase(), currency, effectiveFrom: { lte: at } },
    orderBy: { effectiveFrom: "desc" },
    select: { inputPerMillionMicro: true, outputPerMillionMicro: true, cachedRatioBps: true, effectiveFrom: true },
  });
}
