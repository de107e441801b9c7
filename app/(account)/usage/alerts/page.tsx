import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { AlertSettingsForm } from "@/components/alerts/alert-settings-form";
import { DeliveryLog } from "@/components/alerts/delivery-log";
import { SendTestButton } from "@/components/alerts/send-test-button";
import { alertsFor } from "@/lib/alerts";
import { requireUser } from "@/lib/auth/session";
import { toDecimalString } from "@/lib/money/decimal";
import { saveAlertsAction, sendTestAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("alerts"))("title") };
}

/** ALERT-1: the subscriber's thresholds, channels, webhook secret and delivery log. */
export default async function AlertsPage() {
  const user = await requireUser();
  const alerts = alertsFor(user.id);
  const [t, format, locale, settings, currency, deliveries] = await Promise.all([
    getTranslations("alerts"),
    getFormatter(),
    getLocale(),
    alerts.settings(),
    alerts.currency(),
    alerts.deliveries(),
  ]);
  const initial = {
    fiveHour: settings.five_hour.join(", "),
    weekly: settings.weekly.join(", "),
    monthly: settings.monthly.join(", "),
    lowBalance:
      settings.lowBalanceMinor === null
        ? ""
        : toDecimalString(settings.lowBalanceMinor, settings.lowBalanceCurrency ?? currency),
    byEmail: settings.byEmail,
    inApp: settings.inApp,
    webhookUrl: settings.webhookUrl ?? "",
  };
  const rows = deliveries.map((d) => ({
    id: d.id,
    at: format.dateTime(d.createdAt, { dateStyle: "medium", timeStyle: "short" }),
    type: d.event.type,
    status: d.status,
    attempts: d.attempts,
    answer: d.lastStatus !== null ? String(d.lastStatus) : (d.lastError ?? ""),
  }));

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <p>
          <Link className="text-brand-700 underline" href="/usage">
            {t("back")}
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      <section className="card space-y-3" aria-labelledby="alert-settings-title">
        <h2 id="alert-settings-title" className="text-lg font-semibold">
          {t("settingsTitle")}
        </h2>
        <AlertSettingsForm action={saveAlertsAction} initial={initial} currency={currency} locale={locale} />
      </section>
      <section className="card space-y-3" aria-labelledby="webhook-title">
        <h2 id="webhook-title" className="text-lg font-semibold">
          {t("webhookTitle")}
        </h2>
        {settings.webhookUrl && settings.webhookSecret ? (
          <>
            <p className="text-sm text-slate-700">{t("secretHelp")}</p>
            <p className="break-all font-mono text-sm" data-testid="webhook-secret">
              {settings.webhookSecret}
            </p>
            <SendTestButton action={sendTestAction} />
          </>
        ) : (
          <p className="text-sm text-slate-700">{t("noWebhook")}</p>
        )}
        <h3 className="font-semibold">{t("logTitle")}</h3>
        <DeliveryLog rows={rows} />
      </section>
    </div>
  );
}
