import { createTranslator } from "use-intl/core";
import { messagesFor } from "../i18n/messages";
import type { Locale } from "../i18n/config";
import { MAGIC_LINK_TTL_MINUTES } from "./link-ttl";

/** The e-mails that carry a one-time sign-in link; each has a subject, intro, button, expiry and "ignore" line. */
export type LinkMailKind = "mail.magicLink" | "mail.signUp.confirm" | "mail.signUp.existing";

export function linkMail(kind: LinkMailKind, locale: Locale, url: string) {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: kind });
  const expiry = t("expiry", { minutes: MAGIC_LINK_TTL_MINUTES });
  return {
    subject: t("subject"),
    text: `${t("intro")}\n\n${url}\n\n${expiry}\n${t("ignore")}`,
    html: `<p>${t("intro")}</p><p><a href="${url}">${t("button")}</a></p><p>${expiry}</p><p>${t("ignore")}</p>`,
  };
}

export const magicLinkMail = (locale: Locale, url: string) => linkMail("mail.magicLink", locale, url);
