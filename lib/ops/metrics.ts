import { Counter, Gauge, Registry } from "prom-client";
import type { Db } from "../db";
import { dashboard } from "./dashboard";

/**
 * The web app's /metrics: the dashboard's figures in Prometheus text format,
 * read from the database at each scrape, so every instance answers the same
 * (REL-2). The decision latency histograms live on the decision server's own
 * /metrics (lib/ops/decision-metrics.ts), since decisions are timed there.
 */
export async function appMetricsText(database: Db, now: Date): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const d = await dashboard(database, now);
  const totals = await database.$queryRaw<
    { code: string; n: bigint }[]
  >`SELECT code, sum(calls)::bigint AS n FROM gateway_outcome_days GROUP BY 1`;

  const gauge = (name: string, help: string, labelNames: string[]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const active = gauge("codeplan_active_subscriptions", "Live (active or past-due) subscriptions by tier and region.", [
    "tier",
    "region",
  ]);
  for (const r of d.active) active.set({ tier: r.tier, region: r.region }, r.count);
  const moves = gauge(
    "codeplan_subscription_events_30d",
    "New, upgraded, downgraded and lapsed subscriptions over the last 30 days.",
    ["kind"],
  );
  for (const kind of ["new", "upgraded", "downgraded", "lapsed"] as const)
    moves.set(
      { kind },
      d.movements.reduce((a, m) => a + m[kind], 0),
    );
  const revenue = gauge(
    "codeplan_revenue_minor_30d",
    "Paid plan, renewal, upgrade and pack invoices over the last 30 days, in minor units.",
    ["currency"],
  );
  const byCurrency = new Map<string, bigint>();
  for (const r of d.revenue) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0n) + r.amountMinor);
  for (const [currency, amount] of byCurrency) revenue.set({ currency }, Number(amount));
  gauge("codeplan_dunning_invoices", "Renewal invoices whose card failed and that dunning is retrying.", []).set(
    d.dunning.invoices,
  );
  gauge("codeplan_past_due_subscriptions", "Subscriptions past due (in dunning).", []).set(d.dunning.pastDue);
  const util = gauge(
    "codeplan_quota_utilisation_ratio",
    "Mean share of the 5-hour window in use per active subscription.",
    ["tier"],
  );
  for (const r of d.utilisation) util.set({ tier: r.tier }, r.ratio);
  const calls = new Counter({
    name: "codeplan_gateway_calls_total",
    help: "Model calls through the gateway by outcome (ok or the refusal's code).",
    labelNames: ["code"],
    registers: [registry],
  });
  for (const r of totals) calls.inc({ code: r.code }, Number(r.n));
  return { text: await registry.metrics(), contentType: registry.contentType };
}
