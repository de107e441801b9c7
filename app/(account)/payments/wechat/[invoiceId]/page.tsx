import QRCode from "qrcode";
import { getLocale, getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ActionButton } from "@/components/billing/action-button";
import { RefreshEvery } from "@/components/billing/refresh-every";
import { requireUser } from "@/lib/auth/session";
import { appBillingDeps } from "@/lib/billing";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { formatMoney } from "@/lib/money/format";
import { walletPaymentView } from "@/lib/payments/wallet-payment";
import { cancelWalletPaymentAction } from "../actions";

export async function generateMetadata() {
  return { title: (await getTranslations("wechatPay"))("title") };
}

/**
 * PAY-3: the WeChat Pay code for an open order, drawn here from the data
 * Stripe gives (wechat_pay_display_qr_code.data). The page only reads: the
 * webhook settles the order, and the page, drawn again every few seconds,
 * then takes the buyer on; a voided order goes back with the reason.
 */
export default async function WeChatPayPage({
  params,
  searchParams,
}: {
  params: Promise<{ invoiceId: string }>;
  searchParams: Promise<{ next?: string }>;
}) {
  const user = await requireUser();
  const [t, locale, { invoiceId }, query] = await Promise.all([
    getTranslations("wechatPay"),
    getLocale(),
    params,
    searchParams,
  ]);
  const next = safeRedirectPath(query.next, "/subscription");
  const join = next.includes("?") ? "&" : "?";
  const view = z.uuid().safeParse(invoiceId).success
    ? await walletPaymentView(await appBillingDeps(), user.id, invoiceId)
    : null;
  if (view?.status === "paid") redirect(`${next}${join}notice=paid`);
  if (view?.status === "failed") redirect(`${next}${join}failed=payment&reason=${encodeURIComponent(view.code)}`);
  if (!view)
    return (
      <div className="card mx-auto max-w-md space-y-3">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p role="alert">{t("unknown")}</p>
      </div>
    );
  const amount = formatMoney(view.amountMinor, view.currency, locale);
  const svg = view.qrData ? await QRCode.toString(view.qrData, { type: "svg", margin: 1 }) : null;
  return (
    <div className="card mx-auto max-w-md space-y-4">
      <RefreshEvery ms={2000} />
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p>{t("scan", { amount })}</p>
      {svg && (
        <div
          role="img"
          aria-label={t("qrLabel", { amount })}
          data-testid="wechat-qr"
          data-qr={view.qrData}
          className="mx-auto size-56 rounded-lg border border-slate-200 bg-white p-2 [&>svg]:block [&>svg]:size-full"
          dangerouslySetInnerHTML={{ __html: svg }}
        />
      )}
      {view.qrData && (
        <p>
          <a className="text-brand-700 underline" href={view.qrData} target="_blank" rel="noopener noreferrer">
            {t("openLink")}
          </a>
        </p>
      )}
      <p className="text-sm text-slate-700" role="status">
        {t("waiting")}
      </p>
      <ActionButton
        action={cancelWalletPaymentAction}
        fields={{ invoiceId, next }}
        label={t("cancel")}
        pendingLabel={t("cancel")}
        variant="secondary"
      />
    </div>
  );
}
