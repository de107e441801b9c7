import { getFormatter, getTranslations } from "next-intl/server";

export type OfferFigures = {
  firstOrderDiscountBps: number;
  discountBps: number;
  rewardBps: number;
  attributionHours: number;
  refundWindowHours: number;
  reviewAfterHours: number;
  issueWithinHours: number;
};

/** REF-2..5 in words, with the figures from the catalog so the page never disagrees with the rules. */
export async function OfferTerms({ figures }: { figures: OfferFigures }) {
  const [t, format] = await Promise.all([getTranslations("referrals"), getFormatter()]);
  const percent = (bps: number) => format.number(bps / 10000, { style: "percent", maximumFractionDigits: 2 });
  return (
    <section className="card space-y-3" aria-labelledby="offer-title">
      <h2 id="offer-title" className="text-lg font-semibold">
        {t("offerTitle")}
      </h2>
      <p data-testid="offer-friend">
        {t("friendGets", {
          firstOrder: percent(figures.firstOrderDiscountBps),
          referral: percent(figures.discountBps),
        })}
      </p>
      <p data-testid="offer-reward">{t("youGet", { reward: percent(figures.rewardBps) })}</p>
      <p>{t("whenIssued", { from: figures.reviewAfterHours, to: figures.issueWithinHours })}</p>
      <div>
        <p className="font-medium">{t("conditionsTitle")}</p>
        <ul className="mt-1 list-disc space-y-1 pl-6 text-slate-700">
          <li>{t("condLink")}</li>
          <li>{t("condNew")}</li>
          <li>{t("condInTime", { hours: figures.attributionHours })}</li>
          <li>{t("condNotRefunded", { hours: figures.refundWindowHours })}</li>
        </ul>
      </div>
    </section>
  );
}
