import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { getCurrentUser } from "@/lib/auth/session";
import { appClock } from "@/lib/clock";
import { INVITE_COOKIE } from "@/lib/referrals";
import { offerOfVisitAt } from "@/lib/referrals/face";
import { SignUpForm } from "@/components/sign-up-form";
import { signUpAction } from "./actions";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("signUp") };
}

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ invite?: string }> }) {
  if (await getCurrentUser()) redirect("/dashboard");
  const [t, tInvite, format, query] = await Promise.all([
    getTranslations("signUp"),
    getTranslations("invite"),
    getFormatter(),
    searchParams,
  ]);
  // An invite link's visit (REF-1): say what the friend gets, and until when (REF-3).
  const offer = await offerOfVisitAt((await cookies()).get(INVITE_COOKIE)?.value, await appClock().now());
  return (
    <div className="card mx-auto max-w-md">
      <h1 className="mb-6 text-2xl font-semibold">{t("title")}</h1>
      {query.invite === "invalid" && !offer && (
        <p role="alert" className="mb-4 rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
          {tInvite("invalidLink")}
        </p>
      )}
      {offer && (
        <p className="mb-4 rounded-lg bg-indigo-50 p-3 text-sm text-indigo-900" data-testid="invite-offer">
          {tInvite("offer", {
            endsAt: format.dateTime(offer.offerEndsAt, { dateStyle: "medium", timeStyle: "short" }),
            percent: format.number(offer.discountBps / 10000, { style: "percent" }),
          })}
        </p>
      )}
      <SignUpForm signUpAction={signUpAction} />
    </div>
  );
}
