import type { Adapter, AdapterAccount, AdapterUser } from "next-auth/adapters";
import { recordAudit } from "../audit/record";
import { appClock } from "../clock";
import { db, type User } from "../db";
import { MAGIC_LINK_TTL_MINUTES } from "./link-ttl";
import { attributeFromVisit, recordSighting } from "../referrals";
import { takeSignUpRequest } from "./sign-up-request";

// A small next-auth adapter over our own Prisma client. The official
// @auth/prisma-adapter imports `PrismaClient` from `@prisma/client`, which the
// Prisma 7 `prisma-client` generator does not export, so its types degrade to any.
// With JWT sessions next-auth only needs users, accounts and verification tokens.

function toAdapterUser(u: User): AdapterUser {
  return { id: u.id, email: u.email, emailVerified: u.emailVerified, name: u.name };
}

export function codeplanAdapter(): Adapter {
  return {
    async createUser(data: Omit<AdapterUser, "id">) {
      const now = await appClock().now();
      const email = data.email.toLowerCase();
      const user = await db().$transaction(async (tx) => {
        // A sign-up waiting for this confirmation (SEC-2) gives the account its password, name and language.
        const pending = await takeSignUpRequest(tx, email, now);
        const created = await tx.user.create({
          data: {
            email,
            name: pending?.name ?? data.name ?? null,
            emailVerified: data.emailVerified,
            ...(pending ? { passwordHash: pending.passwordHash, locale: pending.locale } : {}),
            createdAt: now,
            updatedAt: now,
          },
        });
        await recordAudit(tx, {
          actorId: created.id,
          action: pending ? "user.sign_up" : "user.sign_up_by_email_link",
          subjectType: "user",
          subjectId: created.id,
          after: {
            email: created.email,
            ...(pending ? { name: created.name, locale: created.locale, confirmed: true } : {}),
          },
          ip: pending?.sighting?.ip ?? null,
          at: now,
        });
        if (pending?.sighting) await recordSighting(tx, created.id, pending.sighting, now);
        return { created, pending };
      });
      // The invite the sign-up came through (REF-1), once the account exists.
      if (user.pending?.visitId && user.pending.sighting)
        await attributeFromVisit(db(), {
          friendId: user.created.id,
          visitId: user.pending.visitId,
          sighting: user.pending.sighting,
          now,
        });
      return toAdapterUser(user.created);
    },
    async getUser(id) {
      const u = await db()
        .user.findUnique({ where: { id } })
        .catch(() => null);
      return u ? toAdapterUser(u) : null;
    },
    async getUserByEmail(email) {
      const u = await db().user.findUnique({ where: { email: email.toLowerCase() } });
      return u ? toAdapterUser(u) : null;
    },
    async getUserByAccount({ provider, providerAccountId }) {
      const a = await db().account.findUnique({
        where: { provider_providerAccountId: { provider, providerAccountId } },
        include: { user: true },
      });
      return a ? toAdapterUser(a.user) : null;
    },
    async updateUser(data) {
      const u = await db().user.update({
        where: { id: data.id },
        data: {
          ...(data.name !== undefined ? { name: data.name } : {}),
          ...(data.emailVerified !== undefined ? { emailVerified: data.emailVerified } : {}),
          updatedAt: await appClock().now(),
        },
      });
      return toAdapterUser(u);
    },
    async linkAccount(a: AdapterAccount) {
      await db().account.create({
        data: {
          userId: a.userId,
          type: a.type,
          provider: a.provider,
          providerAccountId: a.providerAccountId,
          refreshToken: a.refresh_token ?? null,
          accessToken: a.access_token ?? null,
          expiresAt: a.expires_at ?? null,
          tokenType: a.token_type ?? null,
          scope: a.scope ?? null,
          idToken: a.id_token ?? null,
          sessionState: typeof a.session_state === "string" ? a.session_state : null,
        },
      });
    },
    async createVerificationToken(t) {
      // Expiry follows the app clock, so links behave under a moved test clock too.
      const expires = new Date((await appClock().now()).getTime() + MAGIC_LINK_TTL_MINUTES * 60_000);
      await db().verificationToken.create({ data: { identifier: t.identifier, token: t.token, expires } });
      return { ...t, expires };
    },
    async useVerificationToken({ identifier, token }) {
      // deleteMany + the row we read makes the link single-use even under a double click.
      const row = await db().verificationToken.findUnique({ where: { identifier_token: { identifier, token } } });
      if (!row) return null;
      const { count } = await db().verificationToken.deleteMany({ where: { identifier, token } });
      if (count === 0 || row.expires <= (await appClock().now())) return null;
      // next-auth compares `expires` with the system time; the app clock already judged it.
      return { identifier, token, expires: new Date(Date.now() + 60_000) };
    },
  };
}
