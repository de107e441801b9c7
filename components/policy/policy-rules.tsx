import { getTranslations } from "next-intl/server";

type Throttle = { concurrency: number; promptsPerMinute: number; quietHours: number };

/** The usage policy in plain words, with the operator's own numbers (prisma/catalog.json). */
export async function PolicyRules({ throttle, banAfter }: { throttle: Throttle; banAfter: number }) {
  const t = await getTranslations("policy");
  return (
    <>
      <section className="card space-y-2" aria-labelledby="policy-rules-title">
        <h2 id="policy-rules-title" className="text-lg font-semibold">
          {t("rulesTitle")}
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t("ruleCoding")}</li>
          <li>{t("ruleSharing")}</li>
        </ul>
      </section>
      <section className="card space-y-2" aria-labelledby="policy-effects-title">
        <h2 id="policy-effects-title" className="text-lg font-semibold">
          {t("effectsTitle")}
        </h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>{t("effectThrottle", { concurrency: throttle.concurrency, prompts: throttle.promptsPerMinute })}</li>
          <li>{t("effectLift", { hours: throttle.quietHours })}</li>
          <li>{t("effectBan", { banAfter })}</li>
          <li>{t("effectReview")}</li>
        </ul>
      </section>
    </>
  );
}
