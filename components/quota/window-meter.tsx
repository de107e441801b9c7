import { getFormatter, getTimeZone, getTranslations } from "next-intl/server";
import type { QuotaStatus } from "@/lib/quota";
import { resetFormat, UTC8_ZONE } from "./reset-time";

type WindowState = QuotaStatus["fiveHour"];

/** Full is red, nearly full amber; each at least 3:1 against the track (WCAG 1.4.11). */
function barColor(percentage: number): string {
  if (percentage >= 100) return "bg-red-700";
  if (percentage >= 80) return "bg-amber-700";
  return "bg-brand-600";
}

/**
 * One quota window (QUOTA-10): use against the limit, what remains, the
 * percentage as a progress bar, and when used quota next comes back, in the
 * viewer's zone with UTC+8 beside it (the zone the provider's refusals name).
 */
export async function WindowMeter({
  id,
  title,
  help,
  window: w,
  now,
  runOut,
  children,
}: {
  id: string;
  title: string;
  help: string;
  window: WindowState;
  now: Date;
  /** ALERT-2: when the window runs out at the recent pace, and which sentence says so; nothing shown without it. */
  runOut?: { at: number | null; window: "fiveHour" | "weekly" | "monthly" };
  children?: React.ReactNode;
}) {
  const [t, format, zone] = await Promise.all([getTranslations("usage"), getFormatter(), getTimeZone()]);
  const n = (v: number) => format.number(v);
  return (
    <section className="card space-y-3" aria-labelledby={`${id}-title`} data-testid={id}>
      <div>
        <h3 id={`${id}-title`} className="font-semibold">
          {title}
        </h3>
        <p className="text-sm text-slate-600">{help}</p>
      </div>
      <div
        role="progressbar"
        aria-labelledby={`${id}-title`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={w.percentage}
        aria-valuetext={t("progress", { percent: w.percentage, used: n(w.used), limit: n(w.limit) })}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className={`h-full rounded-full ${barColor(w.percentage)}`} style={{ width: `${w.percentage}%` }} />
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-600">{t("used")}</dt>
        <dd className="tabular-nums" data-testid={`${id}-used`}>
          {t("usedValue", { used: n(w.used), limit: n(w.limit) })}
        </dd>
        <dt className="text-slate-600">{t("remaining")}</dt>
        <dd className="tabular-nums" data-testid={`${id}-remaining`}>
          {n(w.remaining)}
        </dd>
        <dt className="text-slate-600">{t("percentage")}</dt>
        <dd className="tabular-nums" data-testid={`${id}-percentage`}>
          {t("percentValue", { percent: w.percentage })}
        </dd>
        {children}
      </dl>
      <p className="text-sm" data-testid={`${id}-reset`}>
        {w.resetAt
          ? t("resets", {
              time: format.dateTime(w.resetAt, resetFormat(w.resetAt, now, zone)),
              utc8: format.dateTime(w.resetAt, resetFormat(w.resetAt, now, UTC8_ZONE)),
            })
          : t("nothingUsed")}
      </p>
      {runOut?.at != null && (
        <p className="rounded-lg bg-amber-50 p-2 text-sm text-amber-900" data-testid={`${id}-forecast`}>
          {t(`runsOut.${runOut.window}`, {
            time: format.dateTime(new Date(runOut.at), resetFormat(new Date(runOut.at), now, zone)),
          })}
        </p>
      )}
    </section>
  );
}
