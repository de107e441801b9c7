import { getTranslations } from "next-intl/server";
import { CreateKeyForm } from "@/components/quota/create-key-form";
import { KeyUsageHint } from "@/components/quota/key-usage-hint";
import { KeysList } from "@/components/quota/keys-list";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { appUrl } from "@/lib/http/app-url";
import { listKeys, MAX_LIVE_KEYS } from "@/lib/quota";
import { createKeyAction, revokeKeyAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("keys"))("title") };
}

/** The subscriber's API keys: create (secret shown once), list by prefix, revoke. */
export default async function KeysPage() {
  const user = await requireUser();
  const [t, keys] = await Promise.all([getTranslations("keys"), listKeys(db(), user.id)]);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      <section className="card space-y-3" aria-labelledby="create-key-title">
        <h2 id="create-key-title" className="text-lg font-semibold">{t("createTitle")}</h2>
        <CreateKeyForm action={createKeyAction} />
      </section>
      <KeysList keys={keys} max={MAX_LIVE_KEYS} revokeAction={revokeKeyAction} />
      <KeyUsageHint openaiUrl={appUrl("/api/coding/paas/v4")} anthropicUrl={appUrl("/api/anthropic")} />
    </div>
  );
}
