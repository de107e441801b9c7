import type { QuotaContext } from "./consume";

/**
 * Usage over time for the read-outs (COMPAT.md model-usage / tool-usage) and
 * the usage screen: tokens per model from the gateway's reports, tool calls
 * (web search, web reader, vision) from the recorded consumptions. Buckets
 * are computed by Postgres in the given zone, so hours and days are the
 * caller's, not the server's.
 */

export type Bucket = "hour" | "day";

export type ModelSeries = { model: string; tokens: number[] };
export type ToolSeries = { tool: "search-prime" | "web-reader" | "vision"; counts: number[] };
export type History = {
  starts: Date[];
  models: ModelSeries[];
  tools: ToolSeries[];
  prompts: number[];
  totalTokens: number;
};

const TOOL_OF = { web_search: "search-prime", web_reader: "web-reader", vision: "vision" } as const;

/**
 * Buckets that cover [from, to) in `timeZone`. `from` must be the start of a
 * bucket in that zone (the callers truncate it). Day buckets in a zone with
 * daylight saving are stepped on the wall clock by Postgres, not by 24 h.
 */
export async function usageHistory(
  ctx: QuotaContext,
  subscriptionId: string,
  from: Date,
  to: Date,
  bucket: Bucket,
  timeZone: string,
): Promise<History> {
  const { rows: slots } = await ctx.pool.query<{ start: Date }>(
    `SELECT (g AT TIME ZONE $3) AS start FROM generate_series(($1::timestamptz AT TIME ZONE $3), ($2::timestamptz AT TIME ZONE $3) - interval '1 microsecond', ('1 ' || $4)::interval) g`,
    [from, to, timeZone, bucket],
  );
  const starts = slots.map((s) => s.start);
  const index = new Map(starts.map((s, i) => [s.getTime(), i]));
  const trunc = `(date_trunc('${bucket}', "at" AT TIME ZONE $4) AT TIME ZONE $4)`;
  const [models, uses] = await Promise.all([
    ctx.pool.query<{ b: Date; model: string; tokens: string }>(
      `SELECT ${trunc} AS b, "model", SUM("input_tokens" + "output_tokens")::bigint AS tokens
         FROM "usage_reports" WHERE "subscription_id" = $1 AND "at" >= $2 AND "at" < $3 GROUP BY 1, 2 ORDER BY 2`,
      [subscriptionId, from, to, timeZone],
    ),
    ctx.pool.query<{ b: Date; kind: string; n: number; units: number }>(
      `SELECT ${trunc} AS b, "kind"::text AS kind, count(*)::int AS n, SUM(CASE WHEN "pool" = 'prompt' THEN "units" ELSE 0 END)::int AS units
         FROM "quota_uses" WHERE "subscription_id" = $1 AND "at" >= $2 AND "at" < $3 GROUP BY 1, 2`,
      [subscriptionId, from, to, timeZone],
    ),
  ]);
  const zeros = () => starts.map(() => 0);
  const byModel = new Map<string, number[]>();
  let totalTokens = 0;
  for (const r of models.rows) {
    const i = index.get(r.b.getTime());
    if (i === undefined) continue;
    const series = byModel.get(r.model) ?? zeros();
    series[i] += Number(r.tokens);
    totalTokens += Number(r.tokens);
    byModel.set(r.model, series);
  }
  const tools: ToolSeries[] = (["search-prime", "web-reader", "vision"] as const).map((tool) => ({
    tool,
    counts: zeros(),
  }));
  const prompts = zeros();
  for (const r of uses.rows) {
    const i = index.get(r.b.getTime());
    if (i === undefined) continue;
    prompts[i] += r.units;
    const tool = TOOL_OF[r.kind as keyof typeof TOOL_OF];
    if (tool) tools.find((t) => t.tool === tool)!.counts[i] += r.n;
  }
  return { starts, models: [...byModel].map(([model, tokens]) => ({ model, tokens })), tools, prompts, totalTokens };
}
