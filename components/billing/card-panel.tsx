import { randomUUID } from "node:crypto";
import { getTranslations } from "next-intl/server";
import type { SavedCard } from "@/lib/payments";
import type { ActionResult } from "@/lib/http/action-result";
import { CardForm } from "./card-form";
import { StripeCardSetup } from "./stripe-card-setup";

type Mode = { kind: "local" } | { kind: "stripe"; publishableKey: string } | { kind: "none" };

/**
 * The saved card and the form that saves or replaces it: Stripe Elements with
 * real Stripe, the local test-card form with the local server.
 */
export async function CardPanel({
  card,
  walletSaved = false,
  mode,
  next,
  saveAction,
  secretAction,
  returnUrl,
  open = false,
}: {
  card: SavedCard | null;
  /** An Alipay agreement is what renewals charge now (PAY-3): saving a card takes its place. */
  walletSaved?: boolean;
  mode: Mode;
  next: string;
  saveAction: (prev: unknown, form: FormData) => Promise<ActionResult<object>>;
  secretAction: () => Promise<{ clientSecret: string }>;
  returnUrl: string;
  open?: boolean;
}) {
  const t = await getTranslations("card");
  if (mode.kind === "none") return card ? null : <p>{t("none")}</p>;
  const form =
    mode.kind === "local" ? (
      <CardForm action={saveAction} next={next} requestId={randomUUID()} />
    ) : (
      <StripeCardSetup publishableKey={mode.publishableKey} secretAction={secretAction} returnUrl={returnUrl} />
    );
  return (
    <div className="space-y-3">
      {card ? (
        <>
          <p data-testid="saved-card">
            {t("saved", {
              brand: card.brand.toUpperCase(),
              last4: card.last4,
              month: String(card.expMonth).padStart(2, "0"),
              year: card.expYear,
            })}
          </p>
          <p className="text-sm text-slate-600">{t("renewals")}</p>
        </>
      ) : (
        <p>{t(walletSaved ? "noneWalletSaved" : "none")}</p>
      )}
      {card && !open ? (
        <details className="rounded-lg border border-slate-200 p-3">
          <summary className="cursor-pointer font-medium">{t("replace")}</summary>
          <div className="mt-3">{form}</div>
        </details>
      ) : (
        form
      )}
    </div>
  );
}
