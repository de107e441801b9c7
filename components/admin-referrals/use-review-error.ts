import { useTranslations } from "next-intl";

/** A refusal of the review action (a key under adminReferrals.errors) in the viewer's language. */
export function useReviewErrorText() {
  const t = useTranslations("adminReferrals.errors");
  return (code: string | undefined) => (code === undefined ? undefined : t.has(code) ? t(code) : t("unexpected"));
}
