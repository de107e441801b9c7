import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { CopyBlock } from "@/components/connect/copy-block";
import { TestKeyForm } from "@/components/connect/test-key-form";
import { requireUser } from "@/lib/auth/session";
import { subscriptionViewFor } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { baseUrls, KEY_PLACEHOLDER, toolSettings } from "@/lib/connect/settings";
import { appOrigin } from "@/lib/http/app-url";
import { modelRules, modelsForTier } from "@/lib/quota";
import { testKeyAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("connect"))("title") };
}

/** CONNECT-1: copy-ready settings for each coding tool on this deployment, and a real test call with one's key. */
export default async function ConnectPage() {
  const user = await requireUser();
  const [t, tiers, plan] = await Promise.all([
    getTranslations("connect"),
    getTranslations("tiers"),
    subscriptionViewFor(user.id, await appClock().now()),
  ]);
  const live = plan && plan.status !== "expired" ? plan : null;
  // Without a plan, the models every tier may call: the settings work once a plan is bought.
  const models = modelsForTier(modelRules(), live?.tier ?? "lite").map((m) => m.id);
  const base = baseUrls(appOrigin());
  const tools = toolSettings(base, models);
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro", { placeholder: KEY_PLACEHOLDER })}</p>
        <p className="text-sm text-slate-700" data-testid="connect-tier">
          {live
            ? t("tierModels", { tier: tiers(live.tier), models: models.join(", ") })
            : t("noPlan", { models: models.join(", ") })}{" "}
          {!live && (
            <Link className="text-brand-700 underline" href="/pricing">
              {t("seePlans")}
            </Link>
          )}
        </p>
        <p className="text-sm">
          <Link className="text-brand-700 underline" href="/keys">
            {t("keysLink")}
          </Link>
        </p>
      </div>
      <section className="card space-y-3" aria-labelledby="bases-title">
        <h2 id="bases-title" className="text-lg font-semibold">
          {t("basesTitle")}
        </h2>
        <CopyBlock label={t("wires.anthropic")} text={base.anthropic} testId="base-anthropic" />
        <CopyBlock label={t("wires.openai")} text={base.openai} testId="base-openai" />
      </section>
      <section className="card space-y-4" aria-labelledby="test-title">
        <h2 id="test-title" className="text-lg font-semibold">
          {t("testTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("testIntro")}</p>
        <TestKeyForm action={testKeyAction} models={models} />
      </section>
      {tools.map((tool) => (
        <section
          key={tool.id}
          className="card min-w-0 space-y-2"
          aria-labelledby={`tool-${tool.id}`}
          data-testid={`tool-${tool.id}`}
        >
          <h2 id={`tool-${tool.id}`} className="text-lg font-semibold">
            {tool.name}
          </h2>
          <p className="text-sm text-slate-700">
            {t(`places.${tool.place}`, { file: tool.file ?? "" })} · {t("wireIs", { wire: t(`wires.${tool.wire}`) })}
          </p>
          <CopyBlock label={t("settingsFor", { tool: tool.name })} text={tool.snippet} testId={`snippet-${tool.id}`} />
        </section>
      ))}
    </div>
  );
}
