import { useTranslations } from "next-intl";

/** Translates an error code from the server (errors.*), with its parameters. */
export function useErrorText() {
  const t = useTranslations("errors");
  return (code: string | undefined, values?: Record<string, string | number>) => {
    if (!code) return undefined;
    const [key, arg] = code.split(":");
    if (key === "throttled") return t("throttled", { seconds: Number(arg) || 60 });
    if (key === "password_too_short") return t("password_too_short", { min: values?.min ?? 10 });
    return t.has(key) ? t(key, values) : t("unexpected");
  };
}
