import type { Db, Region } from "../db";
import { dayBounds, dueDays, type Day } from "./days";

/** Yesterday is rolled up once this much of today has passed (late settlements). */
const GRACE_MS = 10 * 60_000;
/** Days caught up per region per sweep; a long outage catches up over several sweeps. */
const MAX_DAYS_PER_SWEEP = 31;

/**
 * BILL-2, BILL-4: rolls one region's day of consumption up into usage_days:
 * per user, model and source, the pay-as-you-go calls by who paid them
 * (api_calls.parts: each pack, cash, bonus) and the coding-plan calls
 * (usage_reports, source "subscription", no fee). A call's calls, tokens
 * and exact fee (BILL-1, micro-units) go on its first source's row
 * (UsageDay). Durable and once-only: the day is
 * claimed in usage_rollups in the same transaction that writes its rows, so
 * a crash rolls both back and a second worker finds it done.
 * Returns the records read, or null when the day was done already.
 */
export async function rollupDay(
  database: Db,
  region: Region,
  timeZone: string,
  day: Day,
  now: Date,
): Promise<number | null> {
  const { start, end } = dayBounds(day, timeZone);
  return database.$transaction(
    async (tx) => {
      const claimed = await tx.$executeRaw`INSERT INTO "usage_rollups" ("region", "day", "records", "rolled_at")
        VALUES (${region}::"Region", ${day}::date, 0, ${now}) ON CONFLICT DO NOTHING`;
      if (claimed === 0) return null;
      // The rows are gathered by a CREATE TABLE AS, which Postgres may run in
      // parallel (an INSERT … SELECT never is), and read from the columns:
      // only calls paid by more than one pack need their parts' JSON. A call's
      // first source, where its calls and tokens are counted, follows the
      // order settleCalls writes: packs, then cash, then bonus; a free call is cash.
      await tx.$executeRaw`CREATE TEMP TABLE "rollup_rows" ON COMMIT DROP AS
        SELECT c."user_id", c."model", c."currency", v.source, v.ref, v.amount, c."fee_micro" AS micro, v.first, c."input_tokens", c."output_tokens", c."cached_tokens"
        FROM "api_calls" c
        JOIN "users" u ON u."id" = c."user_id" AND u."region" = ${region}::"Region"
        CROSS JOIN LATERAL (VALUES
          ('pack', COALESCE(c."parts"->0->>'ref', ''), c."pack_minor", c."pack_minor" > 0
             AND c."pack_minor" = (c."parts"->0->>'amount')::bigint),
          ('cash', '', c."cash_minor", c."pack_minor" = 0 AND (c."cash_minor" > 0 OR c."bonus_minor" = 0)),
          ('bonus', '', c."bonus_minor", c."pack_minor" = 0 AND c."cash_minor" = 0 AND c."bonus_minor" > 0)) AS v(source, ref, amount, first)
        WHERE c."at" >= ${start} AND c."at" < ${end} AND (v.first OR (v.amount > 0 AND v.source <> 'pack'))
        UNION ALL
        SELECT c."user_id", c."model", c."currency", 'pack', p.part->>'ref', (p.part->>'amount')::bigint, c."fee_micro", p.ord = 1, c."input_tokens", c."output_tokens", c."cached_tokens"
        FROM "api_calls" c
        JOIN "users" u ON u."id" = c."user_id" AND u."region" = ${region}::"Region"
        CROSS JOIN LATERAL jsonb_array_elements(c."parts") WITH ORDINALITY AS p(part, ord)
        WHERE c."at" >= ${start} AND c."at" < ${end} AND c."pack_minor" > 0 AND c."pack_minor" <> (c."parts"->0->>'amount')::bigint
          AND p.part->>'source' = 'pack'
        UNION ALL
        SELECT s."user_id", r."model", s."currency", 'subscription', '', 0::bigint, 0::bigint, true, r."input_tokens", r."output_tokens", r."cached_tokens"
        FROM "usage_reports" r JOIN "subscriptions" s ON s."id" = r."subscription_id"
        WHERE s."region" = ${region}::"Region" AND r."at" >= ${start} AND r."at" < ${end}`;
      const [{ n: records }] = await tx.$queryRaw<{ n: number }[]>`
        WITH ins AS (
          INSERT INTO "usage_days" ("user_id", "day", "model", "source", "ref", "currency", "calls", "input_tokens", "output_tokens", "cached_tokens", "amount_minor", "amount_micro")
          SELECT "user_id", ${day}::date, "model", source, ref, "currency", count(*) FILTER (WHERE first),
                 COALESCE(sum("input_tokens") FILTER (WHERE first), 0), COALESCE(sum("output_tokens") FILTER (WHERE first), 0),
                 COALESCE(sum("cached_tokens") FILTER (WHERE first), 0), sum(amount),
                 COALESCE(sum(micro) FILTER (WHERE first), 0)
          FROM "rollup_rows" GROUP BY "user_id", "model", source, ref, "currency"
          RETURNING "calls")
        SELECT COALESCE(sum("calls"), 0)::int AS n FROM ins`;
      await tx.usageRollup.update({
        where: { region_day: { region, day: new Date(`${day}T00:00:00Z`) } },
        data: { records },
      });
      return records;
    },
    { maxWait: 10_000, timeout: 600_000 },
  );
}

/** The sweep's part: every region's days that are over and not rolled up yet, oldest first. */
export async function rollupDueDays(database: Db, now: Date): Promise<number> {
  const regions = await database.billingRegion.findMany();
  let done = 0;
  for (const r of regions) {
    const last = await database.usageRollup.findFirst({ where: { region: r.region }, orderBy: { day: "desc" } });
    const first = last ? null : await firstRecordAt(database);
    const days = dueDays({
      now,
      timeZone: r.timeZone,
      after: last ? last.day.toISOString().slice(0, 10) : null,
      first,
      graceMs: GRACE_MS,
      limit: MAX_DAYS_PER_SWEEP,
    });
    for (const day of days) if ((await rollupDay(database, r.region, r.timeZone, day, now)) !== null) done += 1;
  }
  return done;
}

async function firstRecordAt(database: Db): Promise<Date | null> {
  const [a, b] = await Promise.all([
    database.apiCall.findFirst({ orderBy: { at: "asc" }, select: { at: true } }),
    database.usageReport.findFirst({ orderBy: { at: "asc" }, select: { at: true } }),
  ]);
  const times = [a?.at, b?.at].filter((x): x is Date => !!x);
  return times.length ? new Date(Math.min(...times.map((x) => x.getTime()))) : null;
}
