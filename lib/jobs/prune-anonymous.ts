import type { Db } from "../db";
import { poolOf } from "../db/client";
import { LONGEST_MAIL_WINDOW_SECONDS } from "../mail/send-throttle";
import { INVITE_COOKIE_MAX_AGE_SECONDS } from "../referrals/visit-cookie";

const DAY_MS = 86_400_000;

/**
 * Sign-in attempts are kept 30 days. The throttle reads only its window
 * (AUTH_THROTTLE_WINDOW_SECONDS, a minute by default; never beyond it), so
 * anything older serves one purpose: when someone reports a take-over of
 * their account, the last month of attempts on it, and from which networks,
 * is the evidence. A window configured longer than that is kept whole.
 */
export const SIGN_IN_ATTEMPT_RETENTION_DAYS = 30;

/**
 * Invite-link visits that no invitation rests on are kept while a browser can
 * still bring one to sign-up: the invite cookie carries the visit id for 30
 * days, and a friend who signs up after REF-2's 72 hours is still recorded,
 * so the inviter sees "paid after 72 h" (REF-6) rather than nothing. So the
 * cookie's life, plus a day for clock skew, not the 72 hours. Visits an
 * invitation rests on are never pruned here: REF-2's "within 72 hours of that
 * visit" and the fraud review (REF-5) read them for as long as the invitation exists.
 */
export const UNATTRIBUTED_VISIT_RETENTION_MS = INVITE_COOKIE_MAX_AGE_SECONDS * 1000 + DAY_MS;

/** Rows per DELETE, and DELETEs per table per run: a large backlog is cleared over several runs, never in one long lock. */
export const PRUNE_BATCH = 5_000;
const MAX_BATCHES = 20;

export type PruneCounts = {
  signInAttempts: number;
  visits: number;
  verificationTokens: number;
  signUpRequests: number;
  mailSendHits: number;
};

/** Deletes the rows of `from` that `where` picks, PRUNE_BATCH at a time (by ctid, as lib/quota/prune.ts does). */
async function deleteInBatches(db: Db, from: string, where: string, params: unknown[]): Promise<number> {
  const pool = poolOf(db);
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const { rowCount } = await pool.query(
      `DELETE FROM ${from} WHERE ctid IN (SELECT ctid FROM ${from} WHERE ${where} LIMIT ${PRUNE_BATCH})`,
      params,
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < PRUNE_BATCH) break;
  }
  return total;
}

/**
 * Tables that anonymous requests write (SEC-2: a sign-in form, an invite
 * link and a magic-link request cost an attacker nothing) would otherwise grow
 * without bound. Each is pruned past what any rule still reads:
 * - sign-in attempts past their retention (above);
 * - invite-link visits that no invitation rests on, past the invite cookie's life;
 * - magic-link tokens past their expiry: next-auth refuses an expired token,
 *   so a deleted one answers the same "link expired or used" as a kept one;
 * - sign-ups waiting for confirmation past their link's expiry (the adapter
 *   ignores an expired one);
 * - e-mail throttle hits older than the longest throttle window.
 */
export async function pruneAnonymous(
  db: Db,
  now: Date,
  opts: { throttleWindowSeconds?: number } = {},
): Promise<PruneCounts> {
  const attemptsMs = Math.max(SIGN_IN_ATTEMPT_RETENTION_DAYS * DAY_MS, (opts.throttleWindowSeconds ?? 0) * 1000);
  const signInAttempts = await deleteInBatches(db, `"sign_in_attempts"`, `"created_at" < $1`, [
    new Date(now.getTime() - attemptsMs),
  ]);
  const visits = await deleteInBatches(
    db,
    `"referral_visits"`,
    `"at" < $1 AND NOT EXISTS (SELECT 1 FROM "referrals" r WHERE r."visit_id" = "referral_visits"."id")`,
    [new Date(now.getTime() - UNATTRIBUTED_VISIT_RETENTION_MS)],
  );
  const verificationTokens = await deleteInBatches(db, `"verification_tokens"`, `"expires" < $1`, [now]);
  const signUpRequests = await deleteInBatches(db, `"sign_up_requests"`, `"expires_at" < $1`, [now]);
  const mailSendHits = await deleteInBatches(db, `"mail_send_hits"`, `"created_at" < $1`, [
    new Date(now.getTime() - LONGEST_MAIL_WINDOW_SECONDS * 1000),
  ]);
  return { signInAttempts, visits, verificationTokens, signUpRequests, mailSendHits };
}
