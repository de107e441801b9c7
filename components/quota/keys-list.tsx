import { getFormatter, getTranslations } from "next-intl/server";
import type { KeyRow } from "@/lib/quota";
import type { ActionResult } from "@/lib/http/action-result";
import { RevokeKeyButton } from "./revoke-key-button";

/**
 * The user's keys, live ones first. Each is a small card rather than a table
 * row, so all of it stays readable at phone width. Only the prefix is known
 * here: the secret was never stored.
 */
export async function KeysList({ keys, max, revokeAction }: { keys: KeyRow[]; max: number; revokeAction: (prev: unknown, form: FormData) => Promise<ActionResult> }) {
  const [t, format] = await Promise.all([getTranslations("keys"), getFormatter()]);
  const when = (d: Date) => format.dateTime(d, { dateStyle: "medium", timeStyle: "short" });
  const live = keys.filter((k) => !k.revokedAt).length;
  return (
    <section className="card space-y-3" aria-labelledby="keys-title">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="keys-title" className="text-lg font-semibold">{t("listTitle")}</h2>
        <p className="text-sm text-slate-600" data-testid="key-count">{t("count", { count: live, max })}</p>
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
                  <dd><code className="font-mono" data-testid="key-prefix">{t("prefixValue", { prefix: k.prefix })}</code></dd>
                  <dt className="text-slate-600">{t("created")}</dt>
                  <dd>{when(k.createdAt)}</dd>
                  <dt className="text-slate-600">{t("lastUsed")}</dt>
                  <dd>{k.lastUsedAt ? when(k.lastUsedAt) : t("never")}</dd>
                  <dt className="text-slate-600">{t("state")}</dt>
                  <dd data-testid="key-state" className={k.revokedAt ? "text-red-800" : "text-green-800"}>
                    {k.revokedAt ? t("revokedAt", { time: when(k.revokedAt) }) : t("active")}
                  </dd>
                </dl>
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
