import nodemailer from "nodemailer";
import { env } from "../config/env";
import { db } from "../db";
import { appClock } from "../clock";

export type MailMessage = { to: string; subject: string; text: string; html?: string };

/**
 * Sends through SMTP when SMTP_URL is set. Without it (never in production, which
 * requires SMTP_URL) the message goes to the development mailbox at /dev/mailbox.
 */
export async function sendMail(message: MailMessage): Promise<void> {
  const { SMTP_URL, MAIL_FROM } = env();
  if (SMTP_URL) {
    await nodemailer.createTransport(SMTP_URL).sendMail({ from: MAIL_FROM, ...message });
    return;
  }
  await db().devMail.create({
    data: {
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      createdAt: await appClock().now(),
    },
  });
}

export function listDevMail(limit = 50) {
  return db().devMail.findMany({ orderBy: { id: "desc" }, take: limit });
}
