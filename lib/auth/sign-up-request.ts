import { z } from "zod";
import type { Db, Prisma, Tx } from "../db";
import { isLocale, type Locale } from "../i18n/config";
import type { Sighting } from "../referrals";
import { MAGIC_LINK_TTL_MINUTES } from "./link-ttl";
import { hashPassword } from "./password";
import type { signUpSchema } from "./schemas";
import { linkMail } from "./magic-link-mail";

export type SignUpRequestDeps = {
  now: Date;
  visitId: string | undefined;
  sighting: Sighting;
  link: (email: string) => Promise<string>;
  send: (mail: { to: string; subject: string; text: string; html?: string }) => Promise<void>;
};

/**
 * SEC-2: a sign-up answers the same whether the address has an account or
 * not: either way an e-mail goes to the address and the visitor is told to
 * read it. A new address gets a confirmation link and the account is made
 * only when it is followed (with the password, name and invite visit given
 * here); a known address gets a note that it has an account, with a sign-in
 * link. Nothing else tells the two apart: the password is hashed in both
 * cases, so even the time taken does not.
 */
export async function requestSignUp(
  database: Db,
  input: z.output<typeof signUpSchema>,
  deps: SignUpRequestDeps,
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const existing = await database.user.findUnique({ where: { email: input.email }, select: { locale: true } });
  const link = await deps.link(input.email);
  if (existing) {
    await deps.send({
      to: input.email,
      ...linkMail("mail.signUp.existing", localeOf(existing.locale, input.locale), link),
    });
    return;
  }
  await database.signUpRequest.create({
    data: {
      email: input.email,
      passwordHash,
      name: input.name ?? null,
      locale: input.locale,
      visitId: deps.visitId ?? null,
      sighting: deps.sighting as unknown as Prisma.InputJsonValue,
      createdAt: deps.now,
      expiresAt: new Date(deps.now.getTime() + MAGIC_LINK_TTL_MINUTES * 60_000),
    },
  });
  await deps.send({ to: input.email, ...linkMail("mail.signUp.confirm", input.locale, link) });
}

function localeOf(stored: string, fallback: Locale): Locale {
  return isLocale(stored) ? stored : fallback;
}

/**
 * The latest unexpired sign-up for `email`, removed with every other one for
 * it (the link made the account; older requests must not linger).
 */
export async function takeSignUpRequest(tx: Tx, email: string, now: Date) {
  const rows = await tx.signUpRequest.findMany({ where: { email }, orderBy: { id: "desc" } });
  if (rows.length) await tx.signUpRequest.deleteMany({ where: { email } });
  const latest = rows.find((r) => r.expiresAt > now);
  if (!latest) return null;
  const sighting = sightingSchema.safeParse(latest.sighting);
  return { ...latest, sighting: sighting.success ? sighting.data : null };
}

const sightingSchema = z.object({ ip: z.string(), network: z.string(), device: z.string(), userAgent: z.string() });
