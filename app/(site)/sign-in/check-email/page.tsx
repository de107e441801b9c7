import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { env } from "@/lib/config/env";
import { demoSurfaceOpen } from "@/lib/http/demo-surface";

export default async function CheckEmailPage() {
  const t = await getTranslations("checkEmail");
  const devMailbox = !env().SMTP_URL && (await demoSurfaceOpen());
  return (
    <div className="card mx-auto max-w-md space-y-3">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-slate-700">{t("body")}</p>
      {devMailbox && (
        <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
          {t("devHint")}{" "}
          <Link href="/dev/mailbox" className="font-medium underline">
            {t("openMailbox")}
          </Link>
        </p>
      )}
    </div>
  );
}
