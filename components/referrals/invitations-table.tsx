import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { InvitationView } from "@/lib/referrals";
import { formatMoney } from "@/lib/money/format";

const STATUS_TONE: Record<InvitationView["status"], string> = {
  invited: "text-slate-800",
  waiting: "text-slate-800",
  window_passed: "text-slate-600",
  in_review: "text-amber-800",
  held: "text-amber-800",
  issued: "text-green-800",
  clawed_back: "text-red-800",
  none: "text-slate-600",
};

/**
 * REF-6: each invitation's friend (masked), state, credits and when they
 * are due, and why one earned nothing; then the visit, which matters less
 * (on a phone the first columns are what shows before scrolling). E-mail invitations nobody came
 * through yet have no visit. Scrolls sideways on phones (hence
 * the tabIndex, for keyboards).
 */
export async function InvitationsTable({
  invitations,
  attributionHours,
}: {
  invitations: InvitationView[];
  attributionHours: number;
}) {
  const [t, format, locale] = await Promise.all([getTranslations("referrals"), getFormatter(), getLocale()]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const money = (minor: bigint, currency: string) => formatMoney(minor, currency, locale);

  /** What the state needs said in words: why nothing was earned (REF-6), or what a refund or dispute took back. */
  function details(v: InvitationView): string[] {
    if (v.status === "none" || v.status === "held")
      return v.reason ? [t(`reasons.${v.reason}`, { hours: attributionHours })] : [];
    if (v.status === "window_passed") return [t("windowPassed", { hours: attributionHours })];
    if (!v.currency) return [];
    return [
      ...(v.clawedBackMinor > 0n ? [t("clawedBack", { amount: money(v.clawedBackMinor, v.currency) })] : []),
      ...(v.shortfallMinor > 0n ? [t("shortfall", { amount: money(v.shortfallMinor, v.currency) })] : []),
    ];
  }

  function expected(v: InvitationView): string {
    switch (v.status) {
      case "invited":
        return v.sentAt ? t("sentAt", { time: when(v.sentAt) }) : t("blank");
      case "waiting":
        return v.offerEndsAt ? t("payBy", { time: when(v.offerEndsAt) }) : t("blank");
      case "window_passed":
        return v.offerEndsAt ? t("offerEnded", { time: when(v.offerEndsAt) }) : t("blank");
      case "in_review":
        return v.issueFrom && v.issueBy
          ? t("issueWindow", { from: when(v.issueFrom), to: when(v.issueBy) })
          : t("afterReview");
      case "held":
        return v.paidAt || !v.offerEndsAt ? t("afterReview") : t("payBy", { time: when(v.offerEndsAt) });
      case "issued":
      case "clawed_back":
        return v.issuedAt ? t("issuedAt", { time: when(v.issuedAt) }) : t("blank");
      case "none":
        return t("blank");
    }
  }

  return (
    <section className="card overflow-x-auto" aria-labelledby="invitations-title" tabIndex={0}>
      <h2 id="invitations-title" className="mb-3 text-lg font-semibold">
        {t("listTitle")}
      </h2>
      {invitations.length === 0 ? (
        <p data-testid="no-invitations">{t("none")}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr className="[&>th]:whitespace-nowrap">
              <th scope="col">{t("friend")}</th>
              <th scope="col">{t("state")}</th>
              <th scope="col">{t("credits")}</th>
              <th scope="col">{t("expected")}</th>
              <th scope="col">{t("visited")}</th>
              <th scope="col">{t("via")}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((v) => {
              const why = details(v);
              const counts =
                v.status !== "none" && v.status !== "window_passed" && v.currency && v.rewardMinor !== null;
              return (
                <tr key={v.id} data-testid="invitation">
                  <td className="whitespace-nowrap" data-testid="invitation-friend">
                    {v.friend}
                  </td>
                  <td className="min-w-48">
                    <span className={`font-medium ${STATUS_TONE[v.status]}`} data-testid="invitation-state">
                      {t(`status.${v.status}`)}
                    </span>
                    {why.map((line) => (
                      <span key={line} className="block text-slate-700" data-testid="invitation-reason">
                        {line}
                      </span>
                    ))}
                  </td>
                  <td className="whitespace-nowrap tabular-nums" data-testid="invitation-credits">
                    {counts ? money(v.rewardMinor!, v.currency!) : t("blank")}
                  </td>
                  <td className="min-w-40" data-testid="invitation-when">
                    {expected(v)}
                  </td>
                  <td className="whitespace-nowrap" data-testid="invitation-visited">
                    {v.visitedAt ? when(v.visitedAt) : t("blank")}
                  </td>
                  <td className="whitespace-nowrap" data-testid="invitation-via">
                    {t(`viaKinds.${v.via}`)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
