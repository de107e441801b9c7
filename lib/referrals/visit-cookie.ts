/**
 * The cookie that carries an invite-link visit to sign-up or checkout
 * (REF-1). It holds only the visit's id; the 72 hours are judged from the
 * visit's time in the database, never from the cookie's age.
 */
export const INVITE_COOKIE = "cp_invite";

/** How long the cookie carries a visit to sign-up; unattributed visits are kept as long (lib/jobs/prune-anonymous.ts). */
export const INVITE_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 3600;

export const INVITE_COOKIE_OPTIONS = {
  httpOnly: true,
  sameSite: "lax" as const,
  path: "/",
  maxAge: INVITE_COOKIE_MAX_AGE_SECONDS,
  secure: process.env.NODE_ENV === "production" && (process.env.NEXTAUTH_URL ?? "").startsWith("https:"),
};
