import { lockUserRow } from "../accounts/lock";
import { createTranslator } from "use-intl/core";
import { recordAudit } from "../audit/record";
import { emailSchema } from "../auth/schemas";
import type { Db } from "../db";
import type { Locale } from "../i18n/config";
import { messagesFor } from "../i18n/messages";
import { admitSend, limitsFor } from "../mail/send-throttle";
import { referralCodeOf } from "./code";

/** Enough for a real person's friends; a spammer hits it in a day. */
export const DAILY_EMAIL_INVITES = 20;

export type EmailInviteError = "invalid_email" | "own_email" | "already_sent" | "daily_limit" | "mail_throttled";
export type Mail = { to: string; subject: string; text: string; html?: string };

function inviteMail(locale: Locale, link: string, code: string, inviterName: string) {
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "mail.referralInvite" });
  const intro = t("intro", { name: inviterName });
  return {
    subject: t("subject", { name: inviterName }),
    text: `${intro}\n\n${link}\n\n${t("code", { code })}\n${t("terms")}`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${link}">${t("button")}</a></p><p>${t("code", { code })}</p><p>${t("terms")}</p>`,
  };
}

function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The inviter sends their link to a friend's address (REF-1). The e-mail is
 * not an attribution: the friend must still come through the link or code
 * (REF-2), and one who signs up without them shows as "no link used" (REF-6).
 * Refused: an address already sent to, more than DAILY_EMAIL_INVITES in 24
 * hours, and more e-mails to one address or from one network than
 * MAIL_LIMITS.invite allows (SEC-2). An address that already has an account
 * is answered like any other (SEC-2: the answer never tells whether it has
 * one) and recorded as invited, but nothing is sent to it: invitations are
 * for new subscribers.
 */
export async function inviteByEmail(
  database: Db,
  input: {
    inviterId: string;
    email: string;
    network: string;
    locale: Locale;
    link: (code: string) => string;
    send: (mail: Mail) => Promise<void>;
    now: Date;
  },
): Promise<{ ok: true } | { ok: false; error: EmailInviteError }> {
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) return { ok: false, error: "invalid_email" };
  const email = parsed.data;
  const inviter = await database.user.findUniqueOrThrow({
    where: { id: input.inviterId },
    select: { email: true, name: true },
  });
  if (email === inviter.email) return { ok: false, error: "own_email" };
  if (!(await admitSend(database, limitsFor("invite", email, input.network), input.now)).allowed)
    return { ok: false, error: "mail_throttled" };
  const member = await database.user.findUnique({ where: { email }, select: { id: true } });
  const code = await referralCodeOf(database, input.inviterId, input.now);
  const refused = await database.$transaction(async (tx) => {
    // The inviter's row lock makes the daily count and the insert one step.
    await lockUserRow(tx, input.inviterId);
    const since = new Date(input.now.getTime() - 24 * 3_600_000);
    if (
      (await tx.referralInvite.count({ where: { inviterId: input.inviterId, sentAt: { gt: since } } })) >=
      DAILY_EMAIL_INVITES
    )
      return "daily_limit" as const;
    const made = await tx.referralInvite.createMany({
      data: [{ inviterId: input.inviterId, email, sentAt: input.now }],
      skipDuplicates: true,
    });
    if (made.count === 0) return "already_sent" as const;
    await recordAudit(tx, {
      actorId: input.inviterId,
      action: "referral.email_invite",
      subjectType: "user",
      subjectId: input.inviterId,
      after: { email },
      at: input.now,
    });
    return null;
  });
  if (refused) return { ok: false, error: refused };
  if (member) return { ok: true };
  try {
    await input.send({ to: email, ...inviteMail(input.locale, input.link(code), code, inviter.name ?? inviter.email) });
  } catch (e) {
    // Unsent is not sent: the inviter may try again.
    await database.referralInvite.deleteMany({ where: { inviterId: input.inviterId, email } });
    throw e;
  }
  return { ok: true };
}
