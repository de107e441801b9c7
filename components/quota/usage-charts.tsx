"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { DailyChart, type Day } from "./daily-chart";

const RANGES = [7, 30] as const;

/**
 * Tokens per model and prompts per day over the last 7 or 30 days. The
 * server sends the 30 days once; the shorter view is their tail, so switching
 * costs no round trip and survives the page's auto-refresh.
 */
export function UsageCharts({
  days,
  models,
  prompts,
}: {
  days: Day[];
  models: { model: string; tokens: number[] }[];
  prompts: number[];
}) {
  const t = useTranslations("usage");
  const format = useFormatter();
  const [range, setRange] = useState<(typeof RANGES)[number]>(7);
  const from = Math.max(0, days.length - range);
  const shown = days.slice(from);
  const tokens = models
    .map((m) => ({ name: m.model, values: m.tokens.slice(from) }))
    .filter((s) => s.values.some((v) => v > 0));
  const promptValues = prompts.slice(from);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const tokenTotal = sum(tokens.map((s) => sum(s.values)));
  return (
    <div className="space-y-5">
      <div
        role="group"
        aria-label={t("rangeLabel")}
        className="inline-flex overflow-hidden rounded-lg border border-slate-300"
      >
        {RANGES.map((n) => (
          <button
            key={n}
            type="button"
            aria-pressed={range === n}
            onClick={() => setRange(n)}
            className={`px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 ${range === n ? "bg-brand-600 text-white" : "bg-white text-slate-800 hover:bg-slate-100"}`}
          >
            {t(n === 7 ? "range7" : "range30")}
          </button>
        ))}
      </div>
      <DailyChart
        id="tokens-chart"
        title={t("tokensTitle")}
        summary={t("tokensSummary", { total: format.number(tokenTotal), days: range })}
        days={shown}
        series={tokens}
        empty={t("noTokens")}
      />
      <DailyChart
        id="prompts-chart"
        title={t("promptsTitle")}
        summary={t("promptsSummary", { total: format.number(sum(promptValues)), days: range })}
        days={shown}
        series={[{ name: t("prompts"), values: promptValues }]}
      />
    </div>
  );
}
