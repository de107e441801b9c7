import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** Where to point a coding tool, with the app's own origin so the URLs can be pasted as they are. */
export async function KeyUsageHint({ openaiUrl, anthropicUrl }: { openaiUrl: string; anthropicUrl: string }) {
  const t = await getTranslations("keys");
  const code = (chunks: React.ReactNode) => <code className="font-mono">{chunks}</code>;
  return (
    <section className="card space-y-3" aria-labelledby="key-how-title">
      <h2 id="key-how-title" className="text-lg font-semibold">
        {t("howTitle")}
      </h2>
      <p>{t("howIntro")}</p>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 sm:grid-cols-[max-content_1fr]">
        <dt className="text-sm font-medium text-slate-600">{t("openai")}</dt>
        <dd>
          <code className="break-all font-mono text-sm" data-testid="openai-base-url">
            {openaiUrl}
          </code>
        </dd>
        <dt className="text-sm font-medium text-slate-600">{t("anthropic")}</dt>
        <dd>
          <code className="break-all font-mono text-sm" data-testid="anthropic-base-url">
            {anthropicUrl}
          </code>
        </dd>
      </dl>
      <p className="text-sm text-slate-700">{t.rich("howAuth", { code })}</p>
      <p className="text-sm text-slate-700">
        {t.rich("howPlan", {
          link: (chunks) => (
            <Link href="/usage" className="text-brand-700 underline">
              {chunks}
            </Link>
          ),
        })}
      </p>
    </section>
  );
}
