import { getTranslations } from "next-intl/server";
import { EmailInviteForm } from "@/components/referrals/email-invite-form";
import { InvitationsTable } from "@/components/referrals/invitations-table";
import { InvitePanel } from "@/components/referrals/invite-panel";
import { OfferTerms } from "@/components/referrals/offer-terms";
import { ReferralCredits } from "@/components/referrals/referral-credits";
import { requireUser } from "@/lib/auth/session";
import { catalogNow } from "@/lib/billing/face";
import { appClock } from "@/lib/clock";
import { appUrl } from "@/lib/http/app-url";
import { DAILY_EMAIL_INVITES, referralRules } from "@/lib/referrals";
import { invitationsFor, referralCodeFor } from "@/lib/referrals/face";
import { inviteByEmailAction } from "./email-invite-action";

export async function generateMetadata() {
  return { title: (await getTranslations("referrals"))("title") };
}

/** REF-1 and REF-6 (with WALLET-2): the subscriber's invite link and code (and an e-mail to send them), the offer, the credits, and every invitation's state. */
export default async function ReferralsPage() {
  const user = await requireUser();
  const now = await appClock().now();
  const [t, code, catalog, { invitations, earned, pending }] = await Promise.all([
    getTranslations("referrals"),
    referralCodeFor(user.id, now),
    catalogNow(),
    invitationsFor(user.id, now),
  ]);
  const rules = referralRules();
  const region = catalog.regions[user.region];
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="text-slate-700">{t("intro")}</p>
      </div>
      <InvitePanel link={appUrl(`/r/${code}`)} code={code} />
      <div className="card">
        <EmailInviteForm action={inviteByEmailAction} limit={DAILY_EMAIL_INVITES} />
      </div>
      <OfferTerms figures={{ ...rules, firstOrderDiscountBps: region.firstOrderDiscountBps }} />
      <ReferralCredits earned={earned} pending={pending} currency={region.currency} />
      <InvitationsTable invitations={invitations} attributionHours={rules.attributionHours} />
    </div>
  );
}
