import type { NextAuthOptions } from "next-auth";
import { cookies, headers } from "next/headers";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE, type Locale } from "../i18n/config";
import CredentialsProvider from "next-auth/providers/credentials";
import EmailProvider from "next-auth/providers/email";
import { recordAudit } from "../audit/record";
import { appClock } from "../clock";
import { env } from "../config/env";
import { db } from "../db";
import { clientIp } from "../http/client-ip";
import { demoSurfaceOpen } from "../http/demo-surface";
import { isDemoAccount } from "./demo-accounts";
import { safeRedirectPath } from "../http/safe-redirect";
import { codeplanAdapter } from "./adapter";
import { MAGIC_LINK_TTL_MINUTES } from "./link-ttl";
import { magicLinkMail } from "./magic-link-mail";
import { signInSchema } from "./schemas";
import { authenticate } from "./users";
import { sendMail } from "../mail/send";
import { admitSend, limitsFor } from "../mail/send-throttle";
import { networkOf, recordSighting, sightingOf } from "../referrals";

/**
 * Errors thrown from `authorize` reach the browser as `?error=<message>`; the
 * sign-in form maps these codes to localized text.
 */
export const SIGN_IN_ERRORS = ["invalid_credentials", "banned", "throttled", "invalid_input"] as const;

/** The language of a sign-in e-mail: the account's, else the visitor's language cookie. */
async function mailLocale(email: string): Promise<Locale> {
  const user = await db().user.findUnique({ where: { email: email.toLowerCase() }, select: { locale: true } });
  if (user && isLocale(user.locale)) return user.locale;
  const cookie = await cookies()
    .then((c) => c.get(LOCALE_COOKIE)?.value)
    .catch(() => undefined);
  return isLocale(cookie) ? cookie : DEFAULT_LOCALE;
}

export const authOptions: NextAuthOptions = {
  adapter: codeplanAdapter(),
  // Credentials sign-in requires JWT sessions in next-auth 4.
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/sign-in", verifyRequest: "/sign-in/check-email", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      id: "credentials",
      name: "Password",
      credentials: { email: { type: "email" }, password: { type: "password" }, device: { type: "hidden" } },
      async authorize(credentials, req) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error("invalid_input");
        const { AUTH_THROTTLE_MAX_FAILURES, AUTH_THROTTLE_WINDOW_SECONDS } = env();
        const now = await appClock().now();
        const result = await authenticate(db(), parsed.data, {
          now,
          ip: clientIp(req?.headers),
          policy: { maxFailures: AUTH_THROTTLE_MAX_FAILURES, windowSeconds: AUTH_THROTTLE_WINDOW_SECONDS },
        });
        if (!result.ok)
          throw new Error(result.error === "throttled" ? `throttled:${result.retryAfterSeconds}` : result.error);
        // Where the account signs in from, for the referral fraud rules (one device behind many accounts).
        const h = (k: string) => [req?.headers?.[k]].flat()[0] as string | undefined;
        const sighting = sightingOf({
          ip: clientIp(req?.headers),
          userAgent: h("user-agent"),
          acceptLanguage: h("accept-language"),
          device: credentials?.device,
        });
        await db().$transaction((tx) => recordSighting(tx, result.user.id, sighting, now));
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
    EmailProvider({
      // The transport is ours (SMTP or the dev mailbox); next-auth's `server` is unused.
      server: "smtp://unused.invalid",
      from: env().MAIL_FROM,
      maxAge: MAGIC_LINK_TTL_MINUTES * 60,
      async sendVerificationRequest({ identifier, url }) {
        // SEC-2: per address and per network. Refused, next-auth shows the sign-in page's e-mail error, which says
        // nothing about whether the address has an account (the limit counts every address alike).
        const ip = clientIp(await headers());
        const admitted = await admitSend(
          db(),
          limitsFor("signInLink", identifier, networkOf(ip)),
          await appClock().now(),
        );
        if (!admitted.allowed) throw new Error("mail_throttled");
        await sendMail({ to: identifier, ...magicLinkMail(await mailLocale(identifier), url) });
      },
    }),
  ],
  callbacks: {
    // SEC-3: next-auth's own check lets `/\evil.example` through (it only prefixes paths with the base URL).
    async redirect({ url, baseUrl }) {
      const path = url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length) : url === baseUrl ? "/" : url;
      return new URL(safeRedirectPath(path, "/", baseUrl), baseUrl).toString();
    },
    async signIn({ user }) {
      // SEC-4: the demo's accounts (published passwords) only in the demo and only from this machine, by any method.
      if (user.email && isDemoAccount(user.email) && !(await demoSurfaceOpen())) return false;
      // Banned accounts cannot come back through an e-mail link either.
      const found = user.email ? await db().user.findUnique({ where: { email: user.email.toLowerCase() } }) : null;
      return found?.status !== "banned";
    },
    async jwt({ token, user }) {
      if (user) {
        const found = await db().user.findUnique({
          where: { id: user.id },
          select: { role: true, sessionVersion: true },
        });
        // The role only steers the /admin proxy; every request checks role and version against the database (SEC-1).
        token.role = found?.role ?? "subscriber";
        token.sv = found?.sessionVersion;
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) {
        session.user.id = token.sub!;
        session.user.role = token.role ?? "subscriber";
        session.user.sessionVersion = token.sv;
      }
      return session;
    },
  },
  events: {
    async signIn({ user, account }) {
      await recordAudit(db(), {
        actorId: user.id,
        action: "auth.sign_in",
        subjectType: "user",
        subjectId: user.id,
        after: { method: account?.provider ?? "unknown" },
        at: await appClock().now(),
      });
    },
    async signOut({ token }) {
      if (!token?.sub) return;
      await recordAudit(db(), {
        actorId: token.sub,
        action: "auth.sign_out",
        subjectType: "user",
        subjectId: token.sub,
        at: await appClock().now(),
      });
    },
  },
};
