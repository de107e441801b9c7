import type pg from "pg";
import { jsonRows } from "../db/json-rows";

export type ReserveItem = {
  userId: string;
  currency: string;
  requestId: string;
  keyId: string;
  model: string;
  maxFeeMicro: bigint;
  now: Date;
  expiresAt: Date;
};

/**
 * Takes holds for calls that arrived together in one round trip and one
 * commit (api_reserve_many, each one api_reserve under its user's lock).
 * Answers each one's outcome: held, duplicate, banned or insufficient.
 */
export async function reserveHolds(pool: pg.Pool, items: ReserveItem[]): Promise<string[]> {
  const { rows } = await pool.query<{ i: number; outcome: string }>({
    name: "api_reserve_many",
    text: "SELECT * FROM api_reserve_many($1::jsonb)",
    values: [
      jsonRows(
        items.map((x, i) => ({
          i,
          u: x.userId,
          c: x.currency,
          r: x.requestId,
          k: x.keyId,
          m: x.model,
          a: x.maxFeeMicro,
          t: x.now,
          e: x.expiresAt,
        })),
      ),
    ],
  });
  const outcomes = new Map(rows.map((r) => [r.i, r.outcome]));
  return items.map((_, i) => {
    const outcome = outcomes.get(i);
    if (!outcome) throw new Error(`api_reserve_many did not answer item ${i}`);
    return outcome;
  });
}
