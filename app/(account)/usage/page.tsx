import Link from "next/link";
import { getFormatter, getTimeZone, getTranslations } from "next-intl/server";
import { AutoRefresh } from "@/components/quota/auto-refresh";
import { ExportCallsForm } from "@/components/quota/export-calls-form";
import { RecentPrompts } from "@/components/quota/recent-prompts";
import { UsageCharts } from "@/components/quota/usage-charts";
import { WindowMeter } from "@/components/quota/window-meter";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { quotaContext, quotaStatus, recentPrompts, usageHistory, windowOutlook } from "@/lib/quota";
import { lastDays } from "./days";

export async function generateMetadata() {
  return { title: (await getTranslations("usage"))("title") };
}

const HISTORY_DAYS = 30;

/**
 * QUOTA-10: each window's use, remaining amount, percentage and next reset,
 * the tier's concurrency, and the last 30 days of use. Read through the same
 * functions as the gateway's decisions and the read-out API, so the three
 * always agree.
 */
export default async function UsagePage() {
  const user = await requireUser();
  const [t, format, zone, now] = await Promise.all([
    getTranslations(),
    getFormatter(),
    getTimeZone(),
    appClock().now(),
  ]);
  const ctx = quotaContext();
  const plan = await ctx.cache.plan(user.id);

  if (!plan || plan.status === "expired")
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("usage.title")}</h1>
        <section className="card space-y-3">
          <p data-testid="no-plan">{t("usage.noPlan")}</p>
          <Link className="btn-primary" href="/pricing">
            {t("usage.seePlans")}
          </Link>
        </section>
      </div>
    );

  const range = lastDays(now, zone, HISTORY_DAYS);
  const [status, history, prompts] = await Promise.all([
    quotaStatus(ctx, plan, now),
    usageHistory(ctx, plan.subscriptionId, range.from, range.to, "day", zone),
    recentPrompts(ctx, plan.subscriptionId, range.from),
  ]);
  // ALERT-2: when each window runs out at the recent pace (the whole plan's, every key together).
  const { runOuts } = await windowOutlook(ctx, plan, status, now);
  const days = history.starts.map((d) => ({
    short: format.dateTime(d, { month: "numeric", day: "numeric" }),
    long: format.dateTime(d, { dateStyle: "medium" }),
  }));

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("usage.title")}</h1>
        <AutoRefresh renderedAt={now.toISOString()} />
        <p>
          <Link className="text-brand-700 underline" href="/usage/alerts">
            {t("usage.alertsLink")}
          </Link>
        </p>
      </div>

      <section className="card space-y-2" aria-labelledby="usage-plan-title">
        <h2 id="usage-plan-title" className="text-lg font-semibold">
          {t("usage.planTitle")}
        </h2>
        <p data-testid="usage-plan">{t("usage.planName", { tier: t(`tiers.${plan.tier}`) })}</p>
        <p data-testid="concurrency">{t("usage.concurrency", { count: plan.concurrency })}</p>
        {plan.status !== "active" && (
          <p role="status" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
            {t("usage.inactive", { status: t(`subscriptionStatus.${plan.status}`) })}
          </p>
        )}
      </section>

      <section className="space-y-3" aria-labelledby="windows-title">
        <h2 id="windows-title" className="text-lg font-semibold">
          {t("usage.windowsTitle")}
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          <WindowMeter
            id="five-hour"
            title={t("usage.fiveHour")}
            help={t("usage.fiveHourHelp")}
            window={status.fiveHour}
            now={now}
            runOut={{ at: runOuts.fiveHour, window: "fiveHour" }}
          />
          {status.weekly ? (
            <WindowMeter
              id="weekly"
              title={t("usage.weekly")}
              help={t("usage.weeklyHelp")}
              window={status.weekly}
              now={now}
              runOut={{ at: runOuts.weekly, window: "weekly" }}
            />
          ) : (
            <section className="card" aria-label={t("usage.weekly")}>
              <p data-testid="no-weekly-cap">{t("usage.noWeeklyCap")}</p>
            </section>
          )}
          <WindowMeter
            id="monthly"
            title={t("usage.monthly")}
            help={t("usage.monthlyHelp")}
            window={status.monthly}
            now={now}
            runOut={{ at: runOuts.monthly, window: "monthly" }}
          >
            <dt className="text-slate-600">{t("usage.tools")}</dt>
            <dd data-testid="monthly-tools">
              {t("usage.toolCounts", {
                search: format.number(status.toolCounts.webSearch),
                reader: format.number(status.toolCounts.webReader),
              })}
            </dd>
          </WindowMeter>
        </div>
      </section>

      <section className="card space-y-3" aria-labelledby="history-title">
        <h2 id="history-title" className="text-lg font-semibold">
          {t("usage.historyTitle")}
        </h2>
        <UsageCharts days={days} models={history.models} prompts={history.prompts} />
      </section>

      <section className="card space-y-3" aria-labelledby="prompts-title">
        <h2 id="prompts-title" className="text-lg font-semibold">
          {t("usage.recentPromptsTitle")}
        </h2>
        <p className="text-sm text-slate-600">{t("usage.recentPromptsHelp")}</p>
        <RecentPrompts rows={prompts} />
      </section>

      <ExportCallsForm endpoint="/api/usage/export" today={now.toISOString().slice(0, 10)} />
    </div>
  );
}
