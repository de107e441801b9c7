import type { Db } from "../db";

export type DayCount = { day: string; count: number };
export type Dashboard = {
  from: string;
  to: string;
  active: { tier: string; region: string; count: number }[];
  /** Per day (UTC): first orders, upgrades, downgrades applied at a renewal, plans that lapsed. */
  movements: { day: string; new: number; upgraded: number; downgraded: number; lapsed: number }[];
  /** Per day and currency: paid plan, renewal, upgrade and pack invoices (top-ups are wallet money, not revenue). */
  revenue: { day: string; currency: string; amountMinor: bigint }[];
  dunning: { invoices: number; pastDue: number; byCurrency: { currency: string; amountMinor: bigint }[] };
  /** Mean share of the 5-hour window in use per live subscription, by tier (0..1). */
  utilisation: { tier: string; subscriptions: number; ratio: number }[];
  outcomes: { code: string; calls: number }[];
  outcomesByDay: { day: string; ok: number; refused: number }[];
  topKeys: { keyId: string; name: string; prefix: string; email: string; calls: number; tokens: bigint }[];
};

const FIVE_HOURS_MS = 5 * 3600_000;

/**
 * The operator dashboard's figures (and /metrics'), for the `days` UTC days
 * ending on `now`'s. Each is one aggregate query over indexed columns; the
 * page reads them on request, nothing is cached.
 */
export async function dashboard(database: Db, now: Date, days = 30): Promise<Dashboard> {
  const to = now.toISOString().slice(0, 10);
  const fromDate = new Date(Date.parse(to) - (days - 1) * 86_400_000);
  const from = fromDate.toISOString().slice(0, 10);
  const window5h = new Date(now.getTime() - FIVE_HOURS_MS);
  const [active, movements, revenue, dunningRows, pastDue, utilisation, outcomes, outcomesByDay, topKeys] =
    await Promise.all([
      database.$queryRaw<{ tier: string; region: string; n: bigint }[]>`
      SELECT tier::text, region::text, count(*) AS n FROM subscriptions WHERE status IN ('active', 'past_due') GROUP BY 1, 2 ORDER BY 1, 2`,
      database.$queryRaw<{ day: string; kind: string; n: bigint }[]>`
      WITH paid AS (
        SELECT subscription_id, kind, tier, paid_at,
               lag(tier) OVER (PARTITION BY subscription_id ORDER BY paid_at) AS before
        FROM invoices WHERE status = 'paid' AND kind IN ('subscribe', 'renewal', 'upgrade') AND subscription_id IS NOT NULL
      )
      SELECT to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             CASE WHEN kind = 'subscribe' THEN 'new' WHEN kind = 'upgrade' THEN 'upgraded' ELSE 'downgraded' END AS kind, count(*) AS n
      FROM paid WHERE paid_at >= ${fromDate} AND (kind <> 'renewal' OR tier < before)
      GROUP BY 1, 2
      UNION ALL
      SELECT to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'lapsed', count(*)
      FROM subscriptions WHERE status = 'expired' AND ended_at >= ${fromDate} GROUP BY 1`,
      database.$queryRaw<{ day: string; currency: string; amount: bigint }[]>`
      SELECT to_char(paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, currency, sum(total_minor)::bigint AS amount
      FROM invoices WHERE status = 'paid' AND kind <> 'top_up' AND paid_at >= ${fromDate}
      GROUP BY 1, 2 ORDER BY 1, 2`,
      database.$queryRaw<{ currency: string; n: bigint; amount: bigint }[]>`
      SELECT currency, count(*) AS n, sum(total_minor)::bigint AS amount FROM invoices
      WHERE kind = 'renewal' AND status = 'open' AND attempts > 0 GROUP BY 1 ORDER BY 1`,
      database.subscription.count({ where: { status: "past_due" } }),
      database.$queryRaw<{ tier: string; n: bigint; ratio: number }[]>`
      SELECT s.tier::text, count(*) AS n, coalesce(avg(least(coalesce(u.used, 0)::float8 / pv.prompts_5h, 1)), 0)::float8 AS ratio
      FROM subscriptions s JOIN plan_versions pv ON pv.id = s.plan_version_id
      LEFT JOIN (SELECT subscription_id, sum(units) AS used FROM quota_uses WHERE pool = 'prompt' AND at > ${window5h} GROUP BY 1) u
        ON u.subscription_id = s.id
      WHERE s.status = 'active' GROUP BY 1 ORDER BY 1`,
      database.$queryRaw<{ code: string; n: bigint }[]>`
      SELECT code, sum(calls)::bigint AS n FROM gateway_outcome_days WHERE day >= ${from}::date GROUP BY 1 ORDER BY 2 DESC`,
      database.$queryRaw<{ day: string; ok: bigint; refused: bigint }[]>`
      SELECT day::text AS day, sum(calls) FILTER (WHERE code = 'ok')::bigint AS ok, coalesce(sum(calls) FILTER (WHERE code <> 'ok'), 0)::bigint AS refused
      FROM gateway_outcome_days WHERE day >= ${from}::date GROUP BY 1 ORDER BY 1`,
      database.$queryRaw<{ key_id: string; name: string; prefix: string; email: string; n: bigint; tokens: bigint }[]>`
      SELECT k.id::text AS key_id, k.name, k.prefix, u.email, c.n, c.tokens FROM (
        SELECT key_id, sum(n)::bigint AS n, sum(tokens)::bigint AS tokens FROM (
          SELECT key_id, count(*) AS n, sum(input_tokens + output_tokens) AS tokens FROM usage_reports WHERE at >= ${fromDate} GROUP BY 1
          UNION ALL
          SELECT key_id, count(*), sum(input_tokens + output_tokens) FROM api_calls WHERE at >= ${fromDate} GROUP BY 1
        ) both_sources GROUP BY 1 ORDER BY 2 DESC LIMIT 10
      ) c JOIN api_keys k ON k.id = c.key_id JOIN users u ON u.id = k.user_id ORDER BY c.n DESC`,
    ]);
  return {
    from,
    to,
    active: active.map((r) => ({ tier: r.tier, region: r.region, count: Number(r.n) })),
    movements: movementsByDay(movements),
    revenue: revenue.map((r) => ({ day: r.day, currency: r.currency, amountMinor: BigInt(r.amount) })),
    dunning: {
      invoices: dunningRows.reduce((a, r) => a + Number(r.n), 0),
      pastDue,
      byCurrency: dunningRows.map((r) => ({ currency: r.currency, amountMinor: BigInt(r.amount) })),
    },
    utilisation: utilisation.map((r) => ({ tier: r.tier, subscriptions: Number(r.n), ratio: Number(r.ratio) })),
    outcomes: outcomes.map((r) => ({ code: r.code, calls: Number(r.n) })),
    outcomesByDay: outcomesByDay.map((r) => ({ day: r.day, ok: Number(r.ok ?? 0), refused: Number(r.refused) })),
    topKeys: topKeys.map((r) => ({
      keyId: r.key_id,
      name: r.name,
      prefix: r.prefix,
      email: r.email,
      calls: Number(r.n),
      tokens: BigInt(r.tokens ?? 0),
    })),
  };
}

function movementsByDay(rows: { day: string; kind: string; n: bigint }[]): Dashboard["movements"] {
  const byDay = new Map<string, Dashboard["movements"][number]>();
  for (const r of rows) {
    const row = byDay.get(r.day) ?? { day: r.day, new: 0, upgraded: 0, downgraded: 0, lapsed: 0 };
    row[r.kind as "new" | "upgraded" | "downgraded" | "lapsed"] += Number(r.n);
    byDay.set(r.day, row);
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}
