"use client";

import { useFormatter, useTranslations } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

export type Day = { short: string; long: string };
export type Series = { name: string; values: number[] };

// Distinguishable for common colour-vision deficiencies (Okabe–Ito); legend text stays slate, the colour is in the swatch.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const TICK = { fontSize: 12, fill: "#475569" };

/**
 * Bars per day, stacked when there are several series. The drawing is hidden
 * from assistive technology; the same numbers are in a visually hidden table,
 * with a one-line summary in the caption that everyone reads.
 */
export function DailyChart({
  id,
  title,
  summary,
  days,
  series,
  empty,
}: {
  id: string;
  title: string;
  summary: string;
  days: Day[];
  series: Series[];
  empty?: string;
}) {
  const t = useTranslations("usage");
  const format = useFormatter();
  const data = days.map((d, i) =>
    Object.fromEntries([["day", d.short], ...series.map((s, j) => [`s${j}`, s.values[i]])]),
  );
  const totals = days.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  return (
    <figure className="min-w-0 space-y-2" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption>
        <h3 id={`${id}-title`} className="font-semibold">
          {title}
        </h3>
        <p className="text-sm text-slate-600">{summary}</p>
      </figcaption>
      {series.length === 0 && empty ? (
        <p className="text-sm text-slate-700">{empty}</p>
      ) : (
        <>
          <div aria-hidden="true">
            <BarChart
              responsive
              accessibilityLayer={false}
              style={{ width: "100%", height: 224 }}
              data={data}
              margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            >
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="day" tick={TICK} interval="preserveStartEnd" minTickGap={12} tickLine={false} />
              <YAxis
                allowDecimals={false}
                width={44}
                tick={TICK}
                tickLine={false}
                axisLine={false}
                tickFormatter={(v: number) => format.number(v, { notation: "compact" })}
              />
              <Tooltip formatter={(v) => format.number(Number(v))} cursor={{ fill: "#f1f5f9" }} />
              {series.length > 1 && (
                <Legend
                  wrapperStyle={{ fontSize: 12 }}
                  formatter={(name) => <span style={{ color: TICK.fill }}>{name}</span>}
                />
              )}
              {series.map((s, j) => (
                <Bar
                  key={s.name}
                  dataKey={`s${j}`}
                  name={s.name}
                  stackId="day"
                  fill={COLORS[j % COLORS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </div>
          <table className="sr-only">
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("day")}</th>
                {series.map((s) => (
                  <th key={s.name} scope="col">
                    {s.name}
                  </th>
                ))}
                {series.length > 1 && <th scope="col">{t("total")}</th>}
              </tr>
            </thead>
            <tbody>
              {days.map((d, i) => (
                <tr key={d.long}>
                  <th scope="row">{d.long}</th>
                  {series.map((s) => (
                    <td key={s.name}>{format.number(s.values[i])}</td>
                  ))}
                  {series.length > 1 && <td>{format.number(totals[i])}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
