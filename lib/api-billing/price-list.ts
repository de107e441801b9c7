import type pg from "pg";
import type { PriceInForce } from "./prices";

const TTL_MS = 60_000;

/**
 * The price list as the call path reads it: every row of model_prices, kept
 * in the process for a minute (rows are only ever added, with a later
 * effective time, so a copy a minute old can only miss a price that is not in
 * force yet, or just became so).
 */
export class PriceList {
  private rows: { model: string; currency: string; price: PriceInForce }[] = [];
  private until = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly pool: pg.Pool) {}

  /** The price in force for a model and currency at a moment, or null when the model has none. */
  async at(model: string, currency: string, at: Date): Promise<PriceInForce | null> {
    if (Date.now() >= this.until) await (this.loading ??= this.load().finally(() => (this.loading = null)));
    return priceIn(this.rows, model, currency, at);
  }

  private async load() {
    const { rows } = await this.pool.query<{
      model: string;
      currency: string;
      i: string;
      o: string;
      bps: number;
      from: Date;
    }>(
      `SELECT "model", "currency", "input_per_million_micro"::text AS "i", "output_per_million_micro"::text AS "o",
              "cached_ratio_bps" AS "bps", "effective_from" AS "from" FROM "model_prices"`,
    );
    this.rows = rows.map((r) => ({
      model: r.model,
      currency: r.currency,
      price: {
        inputPerMillionMicro: BigInt(r.i),
        outputPerMillionMicro: BigInt(r.o),
        cachedRatioBps: r.bps,
        effectiveFrom: r.from,
      },
    }));
    this.until = Date.now() + TTL_MS;
  }
}

/** The latest version effective by `at` (the rule priceAt applies in SQL). */
export function priceIn(
  rows: { model: string; currency: string; price: PriceInForce }[],
  model: string,
  currency: string,
  at: Date,
): PriceInForce | null {
  const wanted = model.trim().toLowerCase();
  let best: PriceInForce | null = null;
  for (const r of rows)
    if (
      r.model === wanted &&
      r.currency === currency &&
      r.price.effectiveFrom.getTime() <= at.getTime() &&
      (!best || r.price.effectiveFrom > best.effectiveFrom)
    )
      best = r.price;
  return best;
}
