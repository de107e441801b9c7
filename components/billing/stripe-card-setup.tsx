"use client";

import { Elements, PaymentElement, useElements, useStripe } from "@stripe/react-stripe-js";
import { loadStripe, type Stripe } from "@stripe/stripe-js";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";

let stripePromise: Promise<Stripe | null> | undefined;

/**
 * With real Stripe, the card is collected by Stripe Elements and never touches
 * CodePlan: a SetupIntent's client secret comes from the server, and
 * `confirmSetup` runs 3-D Secure in the page when the bank asks (PAY-1), then
 * returns to `returnUrl`, where the server reads the result.
 */
export function StripeCardSetup({
  publishableKey,
  secretAction,
  returnUrl,
}: {
  publishableKey: string;
  secretAction: () => Promise<{ clientSecret: string }>;
  returnUrl: string;
}) {
  const t = useTranslations("card");
  const [clientSecret, setClientSecret] = useState<string | null>(null);
  useEffect(() => {
    void secretAction().then((r) => setClientSecret(r.clientSecret));
  }, [secretAction]);
  if (!clientSecret) return <p role="status">{t("loading")}</p>;
  stripePromise ??= loadStripe(publishableKey);
  return (
    <Elements stripe={stripePromise} options={{ clientSecret }}>
      <SetupForm returnUrl={returnUrl} />
    </Elements>
  );
}

function SetupForm({ returnUrl }: { returnUrl: string }) {
  const t = useTranslations("card");
  const stripe = useStripe();
  const elements = useElements();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="space-y-3"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!stripe || !elements) return;
        setPending(true);
        const result = await stripe.confirmSetup({ elements, confirmParams: { return_url: returnUrl } });
        // Only reached when the setup failed at once; success leaves the page for returnUrl.
        setError(result.error?.message ?? null);
        setPending(false);
      }}
    >
      <PaymentElement />
      <button type="submit" className="btn-primary" disabled={!stripe || pending}>
        {pending ? t("saving") : t("save")}
      </button>
      <p className="text-sm text-slate-600">{t("stripeNote")}</p>
      <div aria-live="polite">
        {error && (
          <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
