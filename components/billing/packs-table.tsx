import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import type { UserPack } from "@/lib/api-billing";
import { formatMoney } from "@/lib/money/format";

const STATE_STYLE: Record<UserPack["state"], string> = {
  active: "bg-green-50 text-green-900",
  awaiting_payment: "bg-amber-50 text-amber-900",
  used_up: "bg-slate-100 text-slate-800",
  expired: "bg-slate-100 text-slate-800",
  unpaid: "bg-slate-100 text-slate-800",
  closed: "bg-slate-100 text-slate-800",
};

/**
 * The user's packs: their state first (what a phone shows before scrolling),
 * what each still holds and until when (viewer's zone). Scrolls sideways on
 * phones, hence the tabIndex (keyboard users must be able to reach and
 * scroll it).
 */
export async function PacksTable({ packs }: { packs: UserPack[] }) {
  const [t, format, locale] = await Promise.all([getTranslations("packs"), getFormatter(), getLocale()]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  return (
    <div className="space-y-2">
      <h3 id="my-packs-title" className="font-semibold">
        {t("yours")}
      </h3>
      {packs.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <div className="overflow-x-auto" role="region" aria-labelledby="my-packs-title" tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("pack")}</th>
                <th scope="col">{t("state")}</th>
                <th scope="col">{t("remaining")}</th>
                <th scope="col">{t("expires")}</th>
                <th scope="col">{t("bought")}</th>
              </tr>
            </thead>
            <tbody>
              {packs.map((p) => (
                <tr key={p.id} data-testid="my-pack">
                  <th scope="row" className="font-medium text-slate-900">
                    {t.has(`names.${p.product}`) ? t(`names.${p.product}` as "names.starter") : p.product}
                  </th>
                  <td>
                    <span
                      className={`inline-block rounded px-2 py-0.5 text-xs font-medium whitespace-nowrap ${STATE_STYLE[p.state]}`}
                    >
                      {t(`states.${p.state}`)}
                    </span>
                  </td>
                  <td className="tabular-nums whitespace-nowrap">
                    {t("remainingValue", {
                      remaining: formatMoney(p.remainingMinor, p.currency, locale),
                      value: formatMoney(p.valueMinor, p.currency, locale),
                    })}
                  </td>
                  <td>{p.expiresAt ? when(p.expiresAt) : t("startsWhenPaid")}</td>
                  <td>{when(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
