import { getFormatter, getLocale, getTimeZone, getTranslations } from "next-intl/server";
import { Temporal } from "temporal-polyfill";
import type { KeyRow, KeyUsageSpans } from "@/lib/quota";
import type { ActionResult } from "@/lib/http/action-result";
import { toDecimalString } from "@/lib/money/decimal";
import { formatMoney } from "@/lib/money/format";
import { KeyTermsForm, type KeyTermsValues } from "./key-terms-form";
import { KeyUsageTable } from "./key-usage-table";
import { RevokeKeyButton } from "./revoke-key-button";

type Action = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** The stored terms as the form's fields: the expiry is the start of the day after the last valid one. */
function valuesOf(k: KeyRow, currency: string, zone: string): KeyTermsValues {
  const lastDay = k.expiresAt
    ? Temporal.Instant.fromEpochMilliseconds(k.expiresAt.getTime() - 1)
        .toZonedDateTimeISO(zone)
        .toPlainDate()
        .toString()
    : "";
  return {
    limit5h: k.limit5h?.toString() ?? "",
    limitWeek: k.limitWeek?.toString() ?? "",
    dailyCap: k.paygDailyCapMinor === null ? "" : toDecimalString(k.paygDailyCapMinor, currency),
    expiresOn: lastDay,
  };
}

/**
 * The user's keys, live ones first. Each is a small card rather than a table
 * row, so all of it stays readable at phone width. Only the prefix is known
 * here: the secret was never stored.
 */
export async function KeysList({
  keys,
  max,
  revokeAction,
  termsAction,
  usage,
  currency,
  now,
}: {
  keys: KeyRow[];
  max: number;
  revokeAction: Action;
  termsAction: Action;
  usage: KeyUsageSpans;
  currency: string;
  now: Date;
}) {
  const [t, format, zone, locale] = await Promise.all([
    getTranslations("keys"),
    getFormatter(),
    getTimeZone(),
    getLocale(),
  ]);
  const none = t("noLimit");
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const live = keys.filter((k) => !k.revokedAt).length;
  return (
    <section className="card space-y-3" aria-labelledby="keys-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="keys-title" className="text-lg font-semibold">
          {t("listTitle")}
        </h2>
        <p className="text-sm text-slate-600" data-testid="key-count">
          {t("count", { count: live, max })}
        </p>
      </div>
      {keys.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {keys.map((k) => (
            <li key={k.id} className="grid gap-3 py-3 sm:grid-cols-[1fr_auto] sm:items-start" data-testid="key-row">
              <div className="min-w-0">
                <h3 className="break-words font-medium">{k.name}</h3>
                <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                  <dt className="text-slate-600">{t("prefix")}</dt>
                  <dd>
                    <code className="font-mono" data-testid="key-prefix">
                      {t("prefixValue", { prefix: k.prefix })}
                    </code>
                  </dd>
                  <dt className="text-slate-600">{t("created")}</dt>
                  <dd>{when(k.createdAt)}</dd>
                  <dt className="text-slate-600">{t("lastUsed")}</dt>
                  <dd>{k.lastUsedAt ? when(k.lastUsedAt) : t("never")}</dd>
                  <dt className="text-slate-600">{t("state")}</dt>
                  <dd
                    data-testid="key-state"
                    className={k.revokedAt || (k.expiresAt && k.expiresAt <= now) ? "text-red-800" : "text-green-800"}
                  >
                    {k.revokedAt
                      ? t("revokedAt", { time: when(k.revokedAt) })
                      : k.expiresAt && k.expiresAt <= now
                        ? t("expiredAt", { time: when(k.expiresAt) })
                        : t("active")}
                  </dd>
                  <dt className="text-slate-600">{t("purpose")}</dt>
                  <dd data-testid="key-purpose">{t(`purposes.${k.purpose}`)}</dd>
                  <dt className="text-slate-600">{t("limit5h")}</dt>
                  <dd data-testid="key-limit-5h">{k.limit5h === null ? none : format.number(k.limit5h)}</dd>
                  <dt className="text-slate-600">{t("limitWeek")}</dt>
                  <dd data-testid="key-limit-week">{k.limitWeek === null ? none : format.number(k.limitWeek)}</dd>
                  <dt className="text-slate-600">{t("dailyCapShort")}</dt>
                  <dd data-testid="key-daily-cap">
                    {k.paygDailyCapMinor === null ? none : formatMoney(k.paygDailyCapMinor, currency, locale)}
                  </dd>
                  <dt className="text-slate-600">{t("expires")}</dt>
                  <dd data-testid="key-expires">{k.expiresAt ? when(k.expiresAt) : t("neverExpires")}</dd>
                </dl>
                {usage.get(k.id) && (
                  <KeyUsageTable
                    keyId={k.id}
                    last7={usage.get(k.id)!.last7}
                    last30={usage.get(k.id)!.last30}
                    currency={currency}
                  />
                )}
                {!k.revokedAt && (
                  <details className="mt-3">
                    <summary className="cursor-pointer font-medium text-blue-800">{t("editTerms")}</summary>
                    <div className="mt-2">
                      <KeyTermsForm
                        action={termsAction}
                        keyId={k.id}
                        name={k.name}
                        values={valuesOf(k, currency, zone)}
                        currency={currency}
                      />
                    </div>
                  </details>
                )}
              </div>
              {!k.revokedAt && (
                <div className="justify-self-start sm:justify-self-end">
                  <RevokeKeyButton action={revokeAction} keyId={k.id} name={k.name} />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
