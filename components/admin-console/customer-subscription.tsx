import { getFormatter, getTranslations } from "next-intl/server";
import type { CustomerView } from "@/lib/admin";
import { AdminSection, Facts } from "./admin-section";

/** The customer's newest subscription, live or ended, with the plan version it keeps (PLAN-2). */
export async function CustomerSubscription({ subscription: s }: { subscription: CustomerView["subscription"] }) {
  const [t, all, format] = await Promise.all([
    getTranslations("adminConsole.customer"),
    getTranslations(),
    getFormatter(),
  ]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const plan = (tier: string, cycle: string) =>
    all("checkout.planName", { tier: all(`tiers.${tier}`), cycle: all(`cycles.${cycle}`) });
  if (!s)
    return (
      <AdminSection id="cust-sub" title={t("subscriptionTitle")}>
        <p>{t("noSubscription")}</p>
      </AdminSection>
    );
  const status = all(`subscriptionStatus.${s.status}`);
  const items: [string, React.ReactNode, string?][] = [
    [t("plan"), plan(s.tier, s.cycle), "sub-plan"],
    [t("subStatus"), s.status !== "expired" && !s.autoRenew ? t("canceled", { status }) : status, "sub-status"],
    [t("period"), all("subscription.periodRange", { start: when(s.periodStart), end: when(s.periodEnd) })],
    [
      t("planVersion"),
      s.planVersion.current
        ? t("versionCurrent", { version: s.planVersion.version })
        : t("versionOld", { version: s.planVersion.version }),
    ],
    [t("ordered"), when(s.orderedAt)],
  ];
  if (s.scheduledTier && s.scheduledCycle)
    items.push([t("scheduled"), t("scheduledValue", { plan: plan(s.scheduledTier, s.scheduledCycle) })]);
  return (
    <AdminSection id="cust-sub" title={t("subscriptionTitle")}>
      <Facts items={items} />
    </AdminSection>
  );
}
