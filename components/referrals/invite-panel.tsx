import { getTranslations } from "next-intl/server";
import { CopyField } from "./copy-field";
import { InviteQr } from "./invite-qr";

/** REF-1: the subscriber's invite link and code, each with a copy button, and the link as a QR code. */
export async function InvitePanel({ link, code }: { link: string; code: string }) {
  const t = await getTranslations("referrals");
  return (
    <section className="card space-y-3" aria-labelledby="invite-title">
      <h2 id="invite-title" className="text-lg font-semibold">
        {t("inviteTitle")}
      </h2>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
        <div className="min-w-0 flex-1 space-y-2">
          <CopyField label={t("linkLabel")} value={link} copyLabel={t("copyLink")} testId="invite-link" />
          <CopyField label={t("codeLabel")} value={code} copyLabel={t("copyCode")} testId="invite-code" />
        </div>
        <figure className="flex flex-col items-center gap-2 sm:w-44">
          <InviteQr url={link} label={t("qrLabel")} />
          <figcaption className="text-center text-sm text-slate-600">{t("qrHelp")}</figcaption>
        </figure>
      </div>
    </section>
  );
}
