import { getFormatter, getTranslations } from "next-intl/server";

/** Where the subscriber's account stands now: throttled or not (in their time zone), and how near a ban it is. */
export async function PolicyStatus({
  throttledUntil,
  counting,
  banAfter,
}: {
  throttledUntil: Date | null;
  counting: number;
  banAfter: number;
}) {
  const [t, format] = await Promise.all([getTranslations("policy"), getFormatter()]);
  return (
    <section className="card space-y-2" aria-labelledby="policy-status-title">
      <h2 id="policy-status-title" className="text-lg font-semibold">
        {t("statusTitle")}
      </h2>
      {throttledUntil ? (
        <p
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 font-medium text-amber-950"
          data-testid="throttle-state"
        >
          {t("throttled", { until: format.dateTime(throttledUntil, { dateStyle: "medium", timeStyle: "short" }) })}
        </p>
      ) : (
        <p data-testid="throttle-state">{t("notThrottled")}</p>
      )}
      <p className="text-sm text-slate-700">{t("counting", { count: counting, banAfter })}</p>
    </section>
  );
}
