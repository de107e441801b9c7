import { useTranslations } from "next-intl";

/** A refusal of a policy decision (a key under adminPolicy.errors) in the viewer's language. */
export function usePolicyErrorText() {
  const t = useTranslations("adminPolicy.errors");
  return (code: string | undefined) =>
    code === undefined ? undefined : t.has(code) ? t(code as "unexpected") : t("unexpected");
}
