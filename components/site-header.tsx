import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { PublicUser } from "@/lib/auth/users";
import { LanguageSwitcher } from "./language-switcher";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader({
  user,
  setLocale,
}: {
  user: PublicUser | null;
  setLocale: (locale: string) => Promise<unknown>;
}) {
  const t = await getTranslations("nav");
  const common = await getTranslations("common");
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-bold text-brand-700">
          {common("appName")}
        </Link>
        {/* On a phone the links get a row of their own under the logo and controls, rather than a narrow column between them. */}
        <nav
          aria-label={t("main")}
          className="order-last flex w-full flex-wrap items-center gap-x-3 gap-y-2 whitespace-nowrap text-sm sm:order-none sm:w-auto sm:flex-1"
        >
          <Link href="/pricing" className="hover:underline">
            {t("pricing")}
          </Link>
          {user && (
            <>
              <Link href="/dashboard" className="hover:underline">
                {t("dashboard")}
              </Link>
              <Link href="/subscription" className="hover:underline">
                {t("subscription")}
              </Link>
              <Link href="/billing" className="hover:underline">
                {t("billing")}
              </Link>
              <Link href="/wallet" className="hover:underline">
                {t("wallet")}
              </Link>
              <Link href="/usage" className="hover:underline">
                {t("usage")}
              </Link>
              <Link href="/keys" className="hover:underline">
                {t("keys")}
              </Link>
              <Link href="/connect" className="hover:underline">
                {t("connect")}
              </Link>
              <Link href="/referrals" className="hover:underline">
                {t("referrals")}
              </Link>
              <Link href="/policy" className="hover:underline">
                {t("policy")}
              </Link>
            </>
          )}
          {user?.role === "admin" && (
            <Link href="/admin" className="hover:underline">
              {t("admin")}
            </Link>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          <LanguageSwitcher setLocale={setLocale} />
          {user ? (
            <SignOutButton />
          ) : (
            <Link href="/sign-in" className="btn-secondary py-1">
              {t("signIn")}
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
