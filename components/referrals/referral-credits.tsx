import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { formatMoney } from "@/lib/money/format";

type Amount = { currency: string; amountMinor: bigint };

/** What the invitations have earned and what is still in review, per currency, and where credits go (WALLET-2). */
export async function ReferralCredits({
  earned,
  pending,
  currency,
}: {
  earned: Amount[];
  pending: Amount[];
  currency: string;
}) {
  const [t, locale] = await Promise.all([getTranslations("referrals"), getLocale()]);
  const seen = [...new Set([...earned, ...pending].map((a) => a.currency))];
  // Before anything is earned, a zero in the region's currency rather than an empty list.
  const currencies = seen.length ? seen : [currency];
  const sum = (list: Amount[], c: string) => list.find((a) => a.currency === c)?.amountMinor ?? 0n;
  return (
    <section className="card space-y-3" aria-labelledby="credits-title">
      <h2 id="credits-title" className="text-lg font-semibold">
        {t("creditsTitle")}
      </h2>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
        {currencies.map((c) => (
          <div key={c} className="contents">
            <dt className="text-sm font-medium text-slate-600">{t("earned")}</dt>
            <dd className="tabular-nums" data-testid={`earned-${c}`}>
              {formatMoney(sum(earned, c), c, locale)}
            </dd>
            <dt className="text-sm font-medium text-slate-600">{t("pending")}</dt>
            <dd className="tabular-nums" data-testid={`pending-${c}`}>
              {formatMoney(sum(pending, c), c, locale)}
            </dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-700">{t("spend")}</p>
      <Link href="/wallet" className="inline-block text-sm text-brand-700 underline">
        {t("walletLink")}
      </Link>
    </section>
  );
}
