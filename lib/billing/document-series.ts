import type { Tx } from "../db";
import { formatDocumentNumber, seriesYear, type SeriesKind, type SeriesRegion } from "./document-number";

type Wanted = { key: string; region: SeriesRegion };

/**
 * INV-1: takes the next numbers of each (kind, region, year) series for the
 * given documents, in the caller's transaction, in the order given. Each
 * series is one counter row raised by one upsert: its row lock is held to the
 * commit, so concurrent finalizations queue on it, and a rollback returns the
 * numbers (gapless, never shared). Series are locked in a fixed order so two
 * transactions that touch two series cannot deadlock.
 */
export async function takeDocumentNumbers(
  tx: Tx,
  kind: SeriesKind,
  wanted: Wanted[],
  at: Date,
): Promise<Map<string, string>> {
  const numbers = new Map<string, string>();
  if (wanted.length === 0) return numbers;
  const zones = new Map(
    (await tx.billingRegion.findMany({ select: { region: true, timeZone: true } })).map((r) => [r.region, r.timeZone]),
  );
  const groups = new Map<string, { region: SeriesRegion; year: number; keys: string[] }>();
  for (const w of wanted) {
    const zone = zones.get(w.region);
    if (!zone) throw new Error(`no billing region ${w.region}: sync the catalog first`);
    const year = seriesYear(at, zone);
    const id = `${w.region}:${year}`;
    const group = groups.get(id) ?? { region: w.region, year, keys: [] };
    group.keys.push(w.key);
    groups.set(id, group);
  }
  for (const id of [...groups.keys()].sort()) {
    const g = groups.get(id)!;
    const [row] = await tx.$queryRaw<{ last: number }[]>`
      INSERT INTO "document_series" ("kind", "region", "year", "last")
      VALUES (${kind}::"DocumentSeriesKind", ${g.region}::"Region", ${g.year}, ${g.keys.length})
      ON CONFLICT ("kind", "region", "year") DO UPDATE SET "last" = "document_series"."last" + EXCLUDED."last"
      RETURNING "last"`;
    const first = row.last - g.keys.length + 1;
    g.keys.forEach((key, i) => numbers.set(key, formatDocumentNumber(kind, g.region, g.year, first + i)));
  }
  return numbers;
}
