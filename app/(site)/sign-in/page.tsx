import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { MagicLinkForm, SignInForm } from "@/components/sign-in-form";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("signIn") };
}

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { error, callbackUrl } = await searchParams;
  // SEC-3: only a path on this app; anything else (`//host`, `/\host`, a tab…) would be an open redirect.
  const target = safeRedirectPath(callbackUrl, "/dashboard");
  if (await getCurrentUser()) redirect(target);
  const t = await getTranslations("signIn");
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-6 text-2xl font-semibold">{t("title")}</h1>
      <SignInForm initialError={error} callbackUrl={target} />
      <div className="my-6 flex items-center gap-3 text-sm text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" />
        {t("or")}
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      <MagicLinkForm callbackUrl={target} />
    </div>
  );
}
