import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";

export default async function Home() {
  if (await getCurrentUser()) redirect("/dashboard");
  const t = await getTranslations("home");
  return (
    <section className="mx-auto max-w-2xl py-10 text-center">
      <h1 className="mb-4 text-3xl font-bold sm:text-4xl">{t("title")}</h1>
      <p className="mb-8 text-lg text-slate-600">{t("intro")}</p>
      <div className="flex flex-col justify-center gap-3 sm:flex-row">
        <Link href="/sign-up" className="btn-primary">{t("ctaSignUp")}</Link>
        <Link href="/sign-in" className="btn-secondary">{t("ctaSignIn")}</Link>
      </div>
    </section>
  );
}
