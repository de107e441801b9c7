import type { Db } from "../db";
import type { Day } from "./days";

export type DailySource = "pack" | "cash" | "bonus" | "subscription";

/** One day's consumption of one model from one source, as the billing page and its CSV show it. */
export type DailyRecord = {
  day: Day;
  model: string;
  source: DailySource;
  /** The pack that paid, when the source is a pack (BILL-4): its catalog product and when it expires. */
  pack: { id: string; product: string; expiresAt: Date | null } | null;
  currency: string;
  calls: number;
  inputTokens: bigint;
  outputTokens: bigint;
  cachedTokens: bigint;
  amountMinor: bigint;
  /** BILL-1: the exact fees of the calls counted on this row, in micro-units of the minor unit. */
  amountMicro: bigint;
};

/** Sources in the order they pay (BILL-3), the coding plan last: the order rows of one day and model are listed in. */
const SOURCE_ORDER: Record<string, number> = { pack: 0, cash: 1, bonus: 2, subscription: 3 };

/**
 * BILL-2, BILL-4: a user's daily consumption records (usage_days, written by
 * the rollup once a day is over), newest day first, each naming the pack,
 * account or subscription that paid it. Packs are looked up by the row's ref
 * in a second query: usage_days keeps the pack id only, and a closed pack
 * still names what paid.
 */
export async function dailyRecords(database: Db, userId: string, opts: { take: number }): Promise<DailyRecord[]> {
  const rows = await database.usageDay.findMany({
    where: { userId },
    orderBy: [{ day: "desc" }, { model: "asc" }, { source: "asc" }, { ref: "asc" }],
    take: opts.take,
  });
  const packIds = [...new Set(rows.filter((r) => r.source === "pack" && r.ref).map((r) => r.ref))];
  const packs = packIds.length
    ? await database.resourcePack.findMany({
        where: { id: { in: packIds }, userId },
        select: { id: true, product: true, expiresAt: true },
      })
    : [];
  const packById = new Map(packs.map((p) => [p.id, p]));
  return rows
    .map((r) => ({
      day: r.day.toISOString().slice(0, 10),
      model: r.model,
      source: r.source as DailySource,
      pack: r.source === "pack" ? (packById.get(r.ref) ?? { id: r.ref, product: "", expiresAt: null }) : null,
      currency: r.currency,
      calls: r.calls,
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cachedTokens: r.cachedTokens,
      amountMinor: r.amountMinor,
      amountMicro: r.amountMicro,
    }))
    .sort((a, b) =>
      a.day !== b.day
        ? a.day < b.day
          ? 1
          : -1
        : a.model !== b.model
          ? a.model < b.model
            ? -1
            : 1
          : (SOURCE_ORDER[a.source] ?? 9) - (SOURCE_ORDER[b.source] ?? 9),
    );
}
