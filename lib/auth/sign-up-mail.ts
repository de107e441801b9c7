import { createTranslator } from "use-intl/core";
import type { Locale } from "../i18n/config";
import { messagesFor } from "../i18n/messages";
import { MAGIC_LINK_TTL_MINUTES } from "./link-ttl";

/** The e-mail a sign-up sends: "confirm" to a new address, "existing" to one that has an account (SEC-2). */
export function signUpMail(kind: "confirm" | "existing", locale: Locale, url: string) {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: `mail.signUp.${kind}` });
  const expiry = t("expiry", { minutes: MAGIC_LINK_TTL_MINUTES });
  return {
    subject: t("subject"),
    text: `${t("intro")}\n\n${url}\n\n${expiry}\n${t("ignore")}`,
    html: `<p>${t("intro")}</p><p><a href="${url}">${t("button")}</a></p><p>${expiry}</p><p>${t("ignore")}</p>`,
  };
}
