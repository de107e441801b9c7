import { createHash, randomBytes } from "node:crypto";
import { env } from "../config/env";
import { appUrl } from "../http/app-url";
import { codeplanAdapter } from "./adapter";

/**
 * A one-time sign-in link for `email`, made as next-auth's e-mail provider
 * makes its own (a random token, stored hashed with the session secret
 * exactly as next-auth hashes it, `core/lib/utils.js` hashToken), so
 * following it is an ordinary e-mail sign-in: next-auth checks and burns
 * the token, marks the address verified, makes the account if it has to
 * (adapter.createUser) and starts the session. Used where we, not the
 * sign-in form, decide to send a link: the sign-up confirmation.
 */
export async function issueMagicLink(email: string, callbackPath: string): Promise<string> {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is required to make sign-in links (npm start sets it)");
  const token = randomBytes(32).toString("hex");
  const hashed = createHash("sha256").update(`${token}${secret}`).digest("hex");
  // The adapter sets the expiry from the app clock; the value given here is not used.
  await codeplanAdapter().createVerificationToken?.({ identifier: email, token: hashed, expires: new Date(0) });
  const params = new URLSearchParams({ callbackUrl: appUrl(callbackPath), token, email });
  return appUrl(`/api/auth/callback/email?${params}`);
}
