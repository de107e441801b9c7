import { createTranslator } from "use-intl/core";
import { messagesFor } from "../i18n/messages";
import type { Locale } from "../i18n/config";
import { MAGIC_LINK_TTL_MINUTES } from "./adapter";

export function magicLinkMail(locale: Locale, url: string) {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "mail.magicLink" });
  return {
    subject: t("subject"),
    text: `${t("intro")}\n\n${url}\n\n${t("expiry", { minutes: MAGIC_LINK_TTL_MINUTES })}\n${t("ignore")}`,
    html: `<p>${t("intro")}</p><p><a href="${url}">${t("button")}</a></p><p>${t("expiry", { minutes: MAGIC_LINK_TTL_MINUTES })}</p><p>${t("ignore")}</p>`,
  };
}
