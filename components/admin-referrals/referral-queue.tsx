import { getTranslations } from "next-intl/server";
import type { QueueFlag } from "@/lib/referrals";
import { BulkReviewForm } from "./bulk-review-form";
import type { ReviewAction } from "./filter-fields";
import { ReferralCard } from "./referral-card";

const BULK_FORM = "bulk-review";

/** Flags grouped by invitation (a decision is on the invitation, whichever rules fired), in the queue's order. */
function byReferral(flags: QueueFlag[]) {
  const groups = new Map<string, QueueFlag[]>();
  for (const f of flags) groups.set(f.referralId, [...(groups.get(f.referralId) ?? []), f]);
  return [...groups.values()];
}

export async function ReferralQueue({
  flags,
  deciders,
  filter,
  limited,
  action,
}: {
  flags: QueueFlag[];
  deciders: Record<string, string>;
  filter: { rule?: string; state: string };
  limited: number | null;
  action: ReviewAction;
}) {
  const t = await getTranslations("adminReferrals");
  const groups = byReferral(flags);
  if (groups.length === 0) return <p className="card">{t("empty")}</p>;
  const actionable = groups.some(
    (g) => g.some((f) => f.state === "open") || ["signed_up", "pending"].includes(g[0].referral.state),
  );
  return (
    <div className="space-y-4">
      {actionable && <BulkReviewForm action={action} formId={BULK_FORM} filter={filter} />}
      <p className="text-sm text-slate-700">
        {t("shown", { count: groups.length })}
        {limited && <> · {t("limited", { limit: limited })}</>}
      </p>
      <ul className="space-y-4" aria-label={t("title")}>
        {groups.map((g) => (
          <li key={g[0].referralId}>
            <ReferralCard
              referral={g[0].referral}
              flags={g}
              deciders={deciders}
              filter={filter}
              action={action}
              bulkFormId={BULK_FORM}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
