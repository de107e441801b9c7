import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { CategoryChart } from "@/components/admin-ops/category-chart";
import { DailyChart } from "@/components/quota/daily-chart";
import { appClock } from "@/lib/clock";
import { formatMoney, minorDigits } from "@/lib/money/format";
import { opsDashboard } from "@/lib/ops/face";

/** The operator's figures on /admin: subscriptions, movements, revenue, dunning, quota use, gateway outcomes, top keys (last 30 days). */
export async function OpsDashboard() {
  const [t, tiers, regions, format, locale, now] = await Promise.all([
    getTranslations("adminOps"),
    getTranslations("tiers"),
    getTranslations("regions"),
    getFormatter(),
    getLocale(),
    appClock().now(),
  ]);
  const d = await opsDashboard(now);
  const days: string[] = [];
  for (let ms = Date.parse(d.from); ms <= Date.parse(d.to); ms += 86_400_000)
    days.push(new Date(ms).toISOString().slice(0, 10));
  const dayLabels = days.map((day) => ({
    short: day.slice(5),
    long: format.dateTime(new Date(`${day}T00:00:00Z`), { dateStyle: "medium", timeZone: "UTC" }),
  }));
  const perDay = <T extends { day: string }>(rows: T[], pick: (r: T) => number) =>
    days.map((day) => rows.filter((r) => r.day === day).reduce((a, r) => a + pick(r), 0));
  const tierNames = ["lite", "pro", "max"] as const;
  const currencies = [...new Set(d.revenue.map((r) => r.currency))];
  const codes = d.outcomes.filter((o) => o.code !== "ok");
  const okCalls = d.outcomes.find((o) => o.code === "ok")?.calls ?? 0;
  return (
    <section className="card space-y-6" aria-labelledby="ops-title" data-testid="ops-dashboard">
      <div>
        <h2 id="ops-title" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="text-sm text-slate-600">{t("range", { from: d.from, to: d.to })}</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <CategoryChart
          id="ops-active"
          title={t("active")}
          categories={tierNames.map((x) => tiers(x))}
          series={(["intl", "cn"] as const).map((region) => ({
            name: regions(region),
            values: tierNames.map((tier) => d.active.find((a) => a.tier === tier && a.region === region)?.count ?? 0),
          }))}
          empty={t("none")}
        />
        <CategoryChart
          id="ops-utilisation"
          title={t("utilisation")}
          categories={d.utilisation.map((u) => `${tiers(u.tier as "lite")} (${u.subscriptions})`)}
          series={[{ name: t("utilisationSeries"), values: d.utilisation.map((u) => u.ratio) }]}
          percent
          empty={t("none")}
        />
      </div>
      <DailyChart
        id="ops-movements"
        title={t("movements")}
        summary={t("movementsSummary", {
          new: d.movements.reduce((a, m) => a + m.new, 0),
          upgraded: d.movements.reduce((a, m) => a + m.upgraded, 0),
          downgraded: d.movements.reduce((a, m) => a + m.downgraded, 0),
          lapsed: d.movements.reduce((a, m) => a + m.lapsed, 0),
        })}
        days={dayLabels}
        series={(["new", "upgraded", "downgraded", "lapsed"] as const).map((k) => ({
          name: t(`kinds.${k}`),
          values: perDay(d.movements, (m) => m[k]),
        }))}
      />
      <DailyChart
        id="ops-revenue"
        title={t("revenue")}
        summary={
          currencies.length === 0
            ? t("none")
            : currencies
                .map((c) =>
                  formatMoney(
                    d.revenue.filter((r) => r.currency === c).reduce((a, r) => a + r.amountMinor, 0n),
                    c,
                    locale,
                  ),
                )
                .join(" · ")
        }
        days={dayLabels}
        series={currencies.map((c) => ({
          name: c,
          values: perDay(
            d.revenue.filter((r) => r.currency === c),
            (r) => chartAmount(r.amountMinor, c),
          ),
        }))}
        empty={t("none")}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-2" data-testid="ops-dunning">
          <h3 className="font-semibold">{t("dunning")}</h3>
          <p className="text-sm">{t("dunningSummary", { invoices: d.dunning.invoices, pastDue: d.dunning.pastDue })}</p>
          {d.dunning.byCurrency.length > 0 && (
            <p className="text-sm text-slate-700">
              {d.dunning.byCurrency.map((c) => formatMoney(c.amountMinor, c.currency, locale)).join(" · ")}
            </p>
          )}
        </div>
        <CategoryChart
          id="ops-refusals"
          title={t("refusals", { ok: okCalls })}
          categories={codes.map((c) => c.code)}
          series={[{ name: t("calls"), values: codes.map((c) => c.calls) }]}
          empty={t("noRefusals")}
        />
      </div>
      <DailyChart
        id="ops-calls"
        title={t("callsPerDay")}
        summary={t("callsSummary", { ok: okCalls, refused: codes.reduce((a, c) => a + c.calls, 0) })}
        days={dayLabels}
        series={[
          { name: t("ok"), values: perDay(d.outcomesByDay, (r) => r.ok) },
          { name: t("refused"), values: perDay(d.outcomesByDay, (r) => r.refused) },
        ]}
      />
      <div
        className="overflow-x-auto"
        tabIndex={0}
        role="region"
        aria-labelledby="ops-top-keys"
        data-testid="ops-top-keys"
      >
        <h3 id="ops-top-keys" className="mb-2 font-semibold">
          {t("topKeys")}
        </h3>
        {d.topKeys.length === 0 ? (
          <p className="text-sm">{t("none")}</p>
        ) : (
          <table className="data-table text-sm">
            <thead>
              <tr>
                <th scope="col">{t("key")}</th>
                <th scope="col">{t("owner")}</th>
                <th scope="col">{t("calls")}</th>
                <th scope="col">{t("tokens")}</th>
              </tr>
            </thead>
            <tbody>
              {d.topKeys.map((k) => (
                <tr key={k.keyId}>
                  <td className="break-all">
                    {k.name} <code>{k.prefix}…</code>
                  </td>
                  <td className="break-all">{k.email}</td>
                  <td className="tabular-nums">{format.number(k.calls)}</td>
                  <td className="tabular-nums">{format.number(Number(k.tokens))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** Chart heights only (the figures themselves are formatted from the integer minor units): major units as a number. */
function chartAmount(amountMinor: bigint, currency: string): number {
  return Number(amountMinor) / 10 ** minorDigits(currency);
}
