import { getTranslations } from "next-intl/server";
import { CreateKeyForm } from "@/components/quota/create-key-form";
import { KeyUsageHint } from "@/components/quota/key-usage-hint";
import { KeysList } from "@/components/quota/keys-list";
import { requireUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { env } from "@/lib/config/env";
import { appUrl } from "@/lib/http/app-url";
import { keyUsage, MAX_LIVE_KEYS, purposesAllowed, quotaContext } from "@/lib/quota";
import { accountCurrencyFor, keysFor } from "@/lib/quota/face";
import { createKeyAction, revokeKeyAction, setKeyTermsAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("keys"))("title") };
}

/** The subscriber's API keys: create (secret shown once, for coding, pay-as-you-go or both), list by prefix with each key's own limits and usage (KEY-1), revoke. */
export default async function KeysPage() {
  const user = await requireUser();
  const [t, keys, currency, now] = await Promise.all([
    getTranslations("keys"),
    keysFor(user.id),
    accountCurrencyFor(user.id),
    appClock().now(),
  ]);
  const usage = await keyUsage(
    quotaContext().pool,
    user.id,
    keys.map((k) => k.id),
    now,
  );
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      <section className="card space-y-3" aria-labelledby="create-key-title">
        <h2 id="create-key-title" className="text-lg font-semibold">
          {t("createTitle")}
        </h2>
        <CreateKeyForm action={createKeyAction} purposes={purposesAllowed(env().API_KEY_PURPOSE_BOTH === "1")} />
      </section>
      <KeysList
        keys={keys}
        max={MAX_LIVE_KEYS}
        revokeAction={revokeKeyAction}
        termsAction={setKeyTermsAction}
        usage={usage}
        currency={currency}
        now={now}
      />
      <KeyUsageHint openaiUrl={appUrl("/api/coding/paas/v4")} anthropicUrl={appUrl("/api/anthropic")} />
    </div>
  );
}
