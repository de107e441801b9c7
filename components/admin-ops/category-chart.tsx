"use client";

import { useFormatter } from "next-intl";
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

export type CategorySeries = { name: string; values: number[] };

// Okabe–Ito, as the usage charts: distinguishable for common colour-vision deficiencies.
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const TICK = { fontSize: 12, fill: "#475569" };

/**
 * Bars per category (a tier, a code), grouped when there are several series.
 * The drawing is hidden from assistive technology; the same numbers are in a
 * table under it, which everyone can read (an operator wants the figures).
 */
export function CategoryChart({
  id,
  title,
  categories,
  series,
  percent = false,
  empty,
}: {
  id: string;
  title: string;
  categories: string[];
  series: CategorySeries[];
  percent?: boolean;
  empty: string;
}) {
  const format = useFormatter();
  const show = (v: number) =>
    percent ? format.number(v, { style: "percent", maximumFractionDigits: 1 }) : format.number(v);
  const data = categories.map((c, i) =>
    Object.fromEntries([["c", c], ...series.map((s, j) => [`s${j}`, s.values[i]])]),
  );
  return (
    <figure className="min-w-0 space-y-2" aria-labelledby={`${id}-title`} data-testid={id}>
      <figcaption>
        <h3 id={`${id}-title`} className="font-semibold">
          {title}
        </h3>
      </figcaption>
      {categories.length === 0 ? (
        <p className="text-sm text-slate-700">{empty}</p>
      ) : (
        <>
          <div aria-hidden="true">
            <BarChart
              responsive
              accessibilityLayer={false}
              style={{ width: "100%", height: 200 }}
              data={data}
              margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
            >
              <CartesianGrid vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="c" tick={TICK} tickLine={false} interval={0} />
              {/* Counts are whole; shares run from 0 to 100 % whatever the data, so an idle tier does not look busy. */}
              <YAxis
                width={48}
                allowDecimals={percent}
                domain={percent ? [0, 1] : [0, "auto"]}
                tick={TICK}
                tickLine={false}
                axisLine={false}
                tickFormatter={(v: number) =>
                  percent ? format.number(v, { style: "percent" }) : format.number(v, { notation: "compact" })
                }
              />
              <Tooltip formatter={(v) => show(Number(v))} cursor={{ fill: "#f1f5f9" }} />
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
                  fill={COLORS[j % COLORS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </div>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={title}>
            <table className="data-table text-sm">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="sr-only">{title}</span>
                  </th>
                  {series.map((s) => (
                    <th key={s.name} scope="col">
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {categories.map((c, i) => (
                  <tr key={c}>
                    <th scope="row">{c}</th>
                    {series.map((s) => (
                      <td key={s.name} className="tabular-nums">
                        {show(s.values[i])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}
