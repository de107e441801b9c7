import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/billing/action-button";
import { Notice } from "@/components/billing/notice";
import { requireUser } from "@/lib/auth/session";
import { randomUUID } from "node:crypto";
import { payMethodsOf, recurringWalletsOf } from "@/lib/billing";
import { overdueRenewalOf, subscriptionViewFor } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { formatMoney } from "@/lib/money/format";
import { PayMethodPicker } from "@/components/billing/pay-method-picker";
import { isWalletMethod, paymentPort } from "@/lib/payments";
import { cancelAction, payOverdueAction, resumeAction, scheduleChangeAction, withdrawChangeAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("subscription"))("title") };
}

export default async function SubscriptionPage({
  searchParams,
}: {
  searchParams: Promise<{ notice?: string; failed?: string; reason?: string }>;
}) {
  const user = await requireUser();
  const [t, format, locale, now, { notice, failed, reason }] = await Promise.all([
    getTranslations(),
    getFormatter(),
    getLocale(),
    appClock().now(),
    searchParams,
  ]);
  const sub = await subscriptionViewFor(user.id, now);
  const overdue = sub?.status === "past_due" ? await overdueRenewalOf(sub.id) : null;
  const overdueSaved = overdue ? await paymentPort().savedMethod(user.id) : null;
  const overdueCard = overdueSaved?.type === "card" ? overdueSaved : null;
  // PAY-3: an overdue renewal can be paid on the spot with a wallet the site offers (the card only if one is saved).
  const offered = overdue ? payMethodsOf(user.region).filter((m) => m !== "card" || overdueCard) : [];
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "long" });
  const money = (m: bigint) => (sub ? formatMoney(m, sub.currency, locale) : "");
  const plan = (tier: string, cycle: string) =>
    t("checkout.planName", { tier: t(`tiers.${tier}`), cycle: t(`cycles.${cycle}`) });

  if (!sub)
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t("subscription.title")}</h1>
        <Notice notice={notice} failed={failed} reason={reason} />
        <section className="card space-y-3">
          <p>{t("subscription.none")}</p>
          <Link className="btn-primary inline-block" href="/pricing">
            {t("subscription.seePlans")}
          </Link>
        </section>
      </div>
    );

  const upgrades = sub.options.filter((o) => o.kind === "upgrade");
  const later = sub.options.filter((o) => o.kind !== "upgrade");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("subscription.title")}</h1>
      <Notice notice={notice} failed={failed} reason={reason} />
      <section className="card space-y-3" aria-labelledby="current-plan">
        <h2 id="current-plan" className="text-lg font-semibold" data-testid="current-plan">
          {plan(sub.tier, sub.cycle)}
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="text-sm font-medium text-slate-600">{t("subscription.status")}</dt>
          <dd data-testid="sub-status">
            {sub.status !== "active"
              ? t(`subscriptionStatus.${sub.status}`)
              : sub.periodEnd.getTime() <= now.getTime()
                ? t("subscription.renewing")
                : sub.autoRenew
                  ? t(`subscriptionStatus.${sub.status}`)
                  : t("subscription.canceledStatus")}
          </dd>
          <dt className="text-sm font-medium text-slate-600">{t("subscription.period")}</dt>
          <dd>{t("subscription.periodRange", { start: when(sub.periodStart), end: when(sub.periodEnd) })}</dd>
          <dt className="text-sm font-medium text-slate-600">
            {sub.autoRenew ? t("subscription.renewsOn") : t("subscription.endsOn")}
          </dt>
          <dd data-testid="renewal-date">{when(sub.periodEnd)}</dd>
          {sub.autoRenew && (
            <>
              <dt className="text-sm font-medium text-slate-600">{t("subscription.renewalPrice")}</dt>
              <dd>{money(sub.renewalPriceMinor)}</dd>
            </>
          )}
          <dt className="text-sm font-medium text-slate-600">{t("subscription.quota")}</dt>
          <dd>
            {t("pricing.prompts5h", { count: sub.version.prompts5h })}
            {sub.version.weeklyPrompts === null
              ? ` · ${t("subscription.noWeeklyCap")}`
              : ` · ${t("pricing.weekly", { count: sub.version.weeklyPrompts })}`}
            {!sub.version.current && (
              <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-900">
                {t("subscription.grandfathered", { version: sub.version.number })}
              </span>
            )}
          </dd>
        </dl>
      </section>

      {overdue && (
        <section className="card space-y-3 border-red-300" aria-labelledby="overdue-title">
          <h2 id="overdue-title" className="text-lg font-semibold">
            {t("subscription.overdueTitle")}
          </h2>
          <p data-testid="overdue">
            {t("subscription.overdueBody", {
              amount: money(overdue.amountMinor),
              reason: t(
                `declines.${overdue.lastFailure && t.has(`declines.${overdue.lastFailure}`) ? overdue.lastFailure : "other"}` as "declines.other",
              ),
              retryAt: overdue.nextAttemptAt ? when(overdue.nextAttemptAt) : "—",
            })}
          </p>
          <div className="flex flex-wrap items-center gap-3">
            <ActionButton
              action={payOverdueAction}
              fields={{ requestId: randomUUID() }}
              label={t("subscription.payNow", { amount: money(overdue.amountMinor) })}
              pendingLabel={t("checkout.paying")}
            >
              {offered.some(isWalletMethod) && (
                <PayMethodPicker
                  methods={offered}
                  idPrefix="overdue"
                  recurring={recurringWalletsOf(user.region)}
                  savedWallet={overdueSaved?.type === "alipay" ? overdueSaved.type : undefined}
                />
              )}
            </ActionButton>
            <Link className="text-brand-700 underline" href="/wallet">
              {t("subscription.replaceCard")}
            </Link>
          </div>
        </section>
      )}

      {sub.status === "suspended" && (
        <p role="status" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" data-testid="suspended">
          {t("subscription.suspendedBody")}
        </p>
      )}

      {sub.scheduled && (
        <section className="card space-y-3" aria-labelledby="scheduled-title">
          <h2 id="scheduled-title" className="text-lg font-semibold">
            {t("subscription.scheduledTitle")}
          </h2>
          <p data-testid="scheduled-change">
            {t("subscription.scheduled", {
              plan: plan(sub.scheduled.tier, sub.scheduled.cycle),
              date: when(sub.periodEnd),
            })}
          </p>
          <ActionButton
            action={withdrawChangeAction}
            label={t("subscription.withdraw")}
            pendingLabel={t("common.working")}
            variant="secondary"
          />
        </section>
      )}

      <section className="card space-y-3" aria-labelledby="renewal-title">
        <h2 id="renewal-title" className="text-lg font-semibold">
          {t("subscription.renewalTitle")}
        </h2>
        {sub.status === "past_due" ? (
          <>
            <p id="cancel-past-due" data-testid="cancel-past-due">
              {t("subscription.pastDueCancelHelp")}
            </p>
            <ActionButton
              action={cancelAction}
              label={t("subscription.pastDueCancel")}
              pendingLabel={t("common.working")}
              variant="secondary"
              describedBy="cancel-past-due"
            />
          </>
        ) : sub.autoRenew ? (
          <>
            <p id="cancel-cutoff" data-testid="cancel-cutoff">
              {sub.cancel.allowed
                ? t("subscription.cancelUntil", { time: when(sub.cancel.cutoffAt) })
                : t("subscription.cutoffPassed", { time: when(sub.cancel.cutoffAt) })}
            </p>
            <ActionButton
              action={cancelAction}
              label={t("subscription.cancel")}
              pendingLabel={t("common.working")}
              variant="secondary"
              describedBy="cancel-cutoff"
            />
          </>
        ) : (
          <>
            <p>{t("subscription.canceledUntil", { time: when(sub.periodEnd) })}</p>
            <ActionButton action={resumeAction} label={t("subscription.resume")} pendingLabel={t("common.working")} />
          </>
        )}
      </section>

      <section className="card space-y-3" aria-labelledby="upgrade-title">
        <h2 id="upgrade-title" className="text-lg font-semibold">
          {t("subscription.upgradeTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("subscription.upgradeHelp")}</p>
        {upgrades.length === 0 ? (
          <p>{t("subscription.topTier")}</p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2">
            {upgrades.map((o) => (
              <li
                key={`${o.tier}-${o.cycle}`}
                className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 p-3"
              >
                <span>
                  {plan(o.tier, o.cycle)} · <span className="tabular-nums">{money(o.priceMinor)}</span>
                </span>
                <Link
                  className="btn-secondary py-1 text-sm"
                  href={`/subscription/checkout?tier=${o.tier}&cycle=${o.cycle}`}
                >
                  {t("subscription.seePrice")}
                  <span className="sr-only">{t("subscription.upgradeTo", { plan: plan(o.tier, o.cycle) })}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card space-y-3" aria-labelledby="later-title">
        <h2 id="later-title" className="text-lg font-semibold">
          {t("subscription.laterTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("subscription.laterHelp", { date: when(sub.periodEnd) })}</p>
        <ul className="grid gap-2 sm:grid-cols-2">
          {later.map((o) => (
            <li key={`${o.tier}-${o.cycle}`} className="space-y-2 rounded-lg border border-slate-200 p-3">
              <p>
                {plan(o.tier, o.cycle)} · <span className="tabular-nums">{money(o.priceMinor)}</span>
              </p>
              <ActionButton
                action={scheduleChangeAction}
                fields={{ tier: o.tier, cycle: o.cycle }}
                label={o.kind === "downgrade" ? t("subscription.scheduleDowngrade") : t("subscription.scheduleCycle")}
                pendingLabel={t("common.working")}
                variant="secondary"
              />
              {/* SUB-6: or buy it now, the unused value of this plan counting towards it. */}
              <Link
                className="block text-sm text-brand-700 underline"
                href={`/subscription/checkout?tier=${o.tier}&cycle=${o.cycle}`}
              >
                {t("subscription.buyNow")}
                <span className="sr-only">{t("subscription.buyNowLabel", { plan: plan(o.tier, o.cycle) })}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
