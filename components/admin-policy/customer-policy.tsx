import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import type { SubscriberViolations } from "@/lib/policy";
import { ViolationStateBadge } from "../policy/violation-state-badge";
import { DoneNotice } from "./done-notice";
import { LiftBanForm } from "./lift-ban-form";
import type { PolicyAction } from "./queue-fields";

type Props = {
  userId: string;
  email: string;
  policy: SubscriberViolations;
  banLifted: boolean;
  liftBanAction: PolicyAction;
};

/**
 * The customer page's usage-policy section, compact: ban and throttle state,
 * each violation in one line, the queue (narrowed to this customer) for
 * decisions, and lifting a ban here, whatever caused it.
 */
export async function CustomerPolicy({ userId, email, policy, banLifted, liftBanAction }: Props) {
  const [t, format] = await Promise.all([getTranslations("adminPolicy"), getFormatter()]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const rule = (r: string) => (t.has(`rules.${r}`) ? t(`rules.${r}` as "rules.not_coding") : r);
  return (
    <section className="card space-y-3" aria-labelledby="customer-policy-title" data-testid="customer-policy">
      <h2 id="customer-policy-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      {banLifted && <DoneNotice done="unbanned" />}
      <p className="text-sm">
        <span className={policy.banned ? "font-semibold text-red-800" : undefined}>
          {policy.banned ? t("customer.banned") : t("customer.active")}
        </span>{" "}
        {policy.throttledUntil ? t("throttledUntil", { time: when(policy.throttledUntil) }) : t("notThrottled")}
      </p>
      {policy.violations.length === 0 ? (
        <p className="text-sm">{t("customer.none")}</p>
      ) : (
        <>
          <ul className="divide-y divide-slate-200 text-sm">
            {policy.violations.map((v) => (
              <li key={v.id} className="flex flex-wrap items-baseline gap-x-2 gap-y-1 py-1.5">
                <span className="font-medium">{rule(v.rule)}</span>
                <ViolationStateBadge state={v.state} label={t(`states.${v.state}`)} />
                <span className="text-slate-700">{t("recorded", { time: when(v.createdAt) })}</span>
              </li>
            ))}
          </ul>
          <Link className="text-sm text-brand-700 underline" href={`/admin/violations?state=all&user=${userId}`}>
            {t("customer.openQueue")}
          </Link>
        </>
      )}
      {policy.banned && <LiftBanForm action={liftBanAction} userId={userId} email={email} />}
    </section>
  );
}
