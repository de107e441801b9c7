import { codeplanAdapter } from "../../lib/auth/adapter";
import { signUpSchema } from "../../lib/auth/schemas";
import { requestSignUp } from "../../lib/auth/sign-up-request";
import type { Db } from "../../lib/db";
import { sightingOf } from "../../lib/referrals";

export type SentMail = { to: string; subject: string; text: string };

/**
 * The product's sign-up path without a browser: the sign-up request (as the
 * sign-up action makes it), then what following the e-mailed link does
 * (next-auth's e-mail callback calls the adapter's createUser).
 */
export async function requestAccount(
  db: Db,
  input: { email: string; password: string; name?: string; locale?: "en" | "zh-CN" },
  now: Date,
  ip = "10.0.0.1",
) {
  const mails: SentMail[] = [];
  const parsed = signUpSchema.parse(input);
  await requestSignUp(db, parsed, {
    now,
    visitId: undefined,
    sighting: sightingOf({ ip }),
    link: async (email) => `http://localhost/api/auth/callback/email?email=${encodeURIComponent(email)}`,
    send: async (m) => void mails.push(m),
  });
  return { email: parsed.email, mails };
}

export async function followSignUpLink(email: string, now: Date) {
  return codeplanAdapter().createUser({ email, emailVerified: now, name: null });
}

export async function signUpAndConfirm(
  db: Db,
  input: { email: string; password: string; name?: string; locale?: "en" | "zh-CN" },
  now: Date,
) {
  const { email } = await requestAccount(db, input, now);
  return followSignUpLink(email, now);
}
