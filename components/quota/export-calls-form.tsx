"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

const MAX_DAYS = 92;
const DAY_MS = 86_400_000;

/**
 * Downloads calls as CSV for a date range (UTC days): the subscriber's own
 * (/api/usage/export) or, for an admin, a customer's (/admin/usage-export).
 * The range is checked here first so a mistake gets a message in the
 * viewer's language; the server checks it again.
 */
export function ExportCallsForm({ endpoint, today, userId }: { endpoint: string; today: string; userId?: string }) {
  const t = useTranslations("callExport");
  const [from, setFrom] = useState(new Date(Date.parse(today) - 29 * DAY_MS).toISOString().slice(0, 10));
  const [to, setTo] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const href = `${endpoint}?${new URLSearchParams({ ...(userId ? { user: userId } : {}), from, to })}`;

  function check(e: React.MouseEvent) {
    const span = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    const problem =
      !from || !to || Number.isNaN(span) ? "invalid" : span < 1 ? "order" : span > MAX_DAYS ? "tooLong" : null;
    setError(problem && t(`errors.${problem}`, { max: MAX_DAYS }));
    if (problem) e.preventDefault();
  }

  return (
    <section className="card space-y-2" aria-labelledby="export-title" data-testid="export-calls">
      <h2 id="export-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor="export-from" className="label">
            {t("from")}
          </label>
          <input
            id="export-from"
            type="date"
            className="field"
            value={from}
            max={today}
            onChange={(e) => setFrom(e.target.value)}
            aria-describedby={error ? "export-error" : undefined}
          />
        </div>
        <div>
          <label htmlFor="export-to" className="label">
            {t("to")}
          </label>
          <input
            id="export-to"
            type="date"
            className="field"
            value={to}
            max={today}
            onChange={(e) => setTo(e.target.value)}
            aria-describedby={error ? "export-error" : undefined}
          />
        </div>
        <a className="btn-secondary" href={href} onClick={check} download>
          {t("download")}
        </a>
      </div>
      <p className="text-sm text-slate-600">{t("help", { max: MAX_DAYS })}</p>
      {/* The live region is always there; the alert only when there is something to say (an empty alert is noise). */}
      <div aria-live="polite">
        {error && (
          <p id="export-error" role="alert" className="text-sm text-red-800">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
