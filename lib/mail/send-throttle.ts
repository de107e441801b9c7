import { env } from "../config/env";
import type { Db } from "../db";

/**
 * SEC-2: e-mails that anyone can make us send (sign-up confirmations,
 * sign-in links, invitations) are limited per recipient, so nobody's inbox
 * can be flooded through us, and per network, so one machine cannot spray
 * many inboxes. A sliding window over recorded sends; the hit is recorded
 * only when every limit admits it, under locks on each key taken in a fixed
 * order, so parallel requests cannot all slip under a limit.
 *
 * Not rate-limiter-flexible's Postgres store: it reads the wall clock, and
 * these windows must follow the app's injected clock like every other rule.
 */
export type SendLimit = { scope: string; key: string; max: number; windowSeconds: number };
export type SendDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Per recipient, per kind of e-mail: generous for a person, tight for a
 * script. Per network, MAIL_NETWORK_LIMIT_PER_HOUR of each kind (an office or
 * a campus behind one address may need more: it is a setting).
 */
export const MAIL_LIMITS = {
  signUp: { perRecipient: 3, windowSeconds: 3600 },
  signInLink: { perRecipient: 5, windowSeconds: 3600 },
  // Per inviter there is also DAILY_EMAIL_INVITES (lib/referrals/email-invites.ts).
  invite: { perRecipient: 3, windowSeconds: 24 * 3600 },
} as const;
const NETWORK_WINDOW_SECONDS = 3600;

/** Hits older than this count for no limit (the worker prunes them, lib/jobs/prune-anonymous.ts). */
export const LONGEST_MAIL_WINDOW_SECONDS = Math.max(
  NETWORK_WINDOW_SECONDS,
  ...Object.values(MAIL_LIMITS).map((l) => l.windowSeconds),
);

export function limitsFor(
  kind: keyof typeof MAIL_LIMITS,
  recipient: string,
  network: string,
  perNetwork = env().MAIL_NETWORK_LIMIT_PER_HOUR,
): SendLimit[] {
  const l = MAIL_LIMITS[kind];
  return [
    { scope: `${kind}:to`, key: recipient.trim().toLowerCase(), max: l.perRecipient, windowSeconds: l.windowSeconds },
    { scope: `${kind}:net`, key: network, max: perNetwork, windowSeconds: NETWORK_WINDOW_SECONDS },
  ];
}

export async function admitSend(database: Db, limits: SendLimit[], now: Date): Promise<SendDecision> {
  const ordered = [...limits].sort((a, b) => `${a.scope}|${a.key}`.localeCompare(`${b.scope}|${b.key}`));
  return database.$transaction(async (tx) => {
    let wait = 0;
    for (const l of ordered) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`mail:${l.scope}:${l.key}`}, 0))`;
      const since = new Date(now.getTime() - l.windowSeconds * 1000);
      const hits = await tx.mailSendHit.findMany({
        where: { scope: l.scope, key: l.key, createdAt: { gt: since, lte: now } },
        orderBy: { createdAt: "desc" },
        take: l.max,
        select: { createdAt: true },
      });
      if (hits.length < l.max) continue;
      // The oldest of the last `max` sends must leave the window before another may go.
      const frees = hits[hits.length - 1].createdAt.getTime() + l.windowSeconds * 1000;
      wait = Math.max(wait, Math.ceil((frees - now.getTime()) / 1000), 1);
    }
    if (wait > 0) return { allowed: false, retryAfterSeconds: wait };
    await tx.mailSendHit.createMany({ data: ordered.map((l) => ({ scope: l.scope, key: l.key, createdAt: now })) });
    return { allowed: true };
  });
}
