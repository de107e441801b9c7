import { createTranslator } from "use-intl/core";
import { isLocale, DEFAULT_LOCALE } from "../i18n/config";
import { messagesFor } from "../i18n/messages";
import { sendMail } from "../mail/send";
import type { User } from "../db";
import { accountDelaySeconds, type AccountPolicy } from "./throttle-policy";

/**
 * SEC-2: tells an account's owner that password sign-in to it is now slowed
 * down after repeated failures, when, and what to do if it was not them.
 * Sent in the account's language, once per run of failures (the caller
 * decides when).
 */
export async function sendLockoutNotice(user: Pick<User, "email" | "locale">, policy: AccountPolicy, now: Date) {
  const locale = isLocale(user.locale) ? user.locale : DEFAULT_LOCALE;
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "mail.lockout" });
  const minutes = Math.ceil(accountDelaySeconds(policy.freeFailures, policy) / 60);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(
    now,
  );
  const lines = [
    t("intro", { failures: policy.freeFailures, when }),
    t("wait", { minutes }),
    t("notYou"),
    t("emailLink"),
  ];
  await sendMail({
    to: user.email,
    subject: t("subject"),
    text: lines.join("\n\n"),
    html: lines.map((l) => `<p>${l}</p>`).join(""),
  });
}
