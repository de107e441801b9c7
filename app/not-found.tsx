import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("errors");
  return (
    <div className="card mx-auto max-w-md text-center">
      <h1 className="mb-2 text-xl font-semibold">{t("notFoundTitle")}</h1>
      <p className="mb-4 text-slate-600">{t("notFoundBody")}</p>
      <Link href="/" className="btn-primary">
        {t("backHome")}
      </Link>
    </div>
  );
}
