import type { Db } from "../db";
import {
  accountBackoff,
  accountPolicyOf,
  countingFailures,
  decide,
  type ThrottleDecision,
  type ThrottlePolicy,
} from "./throttle-policy";

// One address may try many e-mails (a shared office network), but not unboundedly.
const PER_ADDRESS_FACTOR = 4;

type Row = { id: bigint; ip: string; createdAt: Date; succeeded: boolean; throttled: boolean };
const toAttempts = (rows: Row[]) => rows.map((r) => ({ at: r.createdAt, succeeded: r.succeeded }));

/**
 * Records this attempt as a failure, then judges the recent history of this
 * e-mail from this address, of the address alone (SEC-2, per network) and of
 * the e-mail from anywhere (per account, growing delays). Recording before
 * judging, under locks on the account and on the address taken in that order,
 * means concurrent guesses are judged one at a time and can never all slip
 * under a limit. Returns the decision, the attempt id (which `markSucceeded`
 * flips when the password was right) and how many counted failures the
 * account had before this one (the caller sends the lockout notice when this
 * attempt fails and makes the delays begin).
 */
export async function recordAndJudgeAttempt(
  database: Db,
  input: { email: string; ip: string; now: Date; policy: ThrottlePolicy },
): Promise<{ attemptId: bigint; decision: ThrottleDecision; accountFailures: number }> {
  const { email, ip, now, policy } = input;
  const account = accountPolicyOf(policy);
  const since = new Date(now.getTime() - policy.windowSeconds * 1000);
  const remembered = new Date(now.getTime() - account.memorySeconds * 1000);
  return database.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signin:account:${email}`}, 0))`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signin:address:${ip}`}, 0))`;
    const select = { id: true, ip: true, createdAt: true, succeeded: true, throttled: true } as const;
    const history = await tx.signInAttempt.findMany({
      where: { email, createdAt: { gt: remembered, lte: now } },
      select,
    });
    const address = await tx.signInAttempt.findMany({
      where: { ip, succeeded: false, createdAt: { gt: since, lte: now } },
      select,
    });
    const attempt = await tx.signInAttempt.create({ data: { email, ip, succeeded: false, createdAt: now } });
    const current: Row = { id: attempt.id, ip, createdAt: now, succeeded: false, throttled: false };

    const pair = [...history.filter((r) => r.ip === ip && r.createdAt > since), current];
    const byPair = decide(
      countingFailures(toAttempts(pair), now, policy.windowSeconds),
      now,
      policy.maxFailures,
      policy.windowSeconds,
    );
    const byAddress = decide(
      countingFailures(toAttempts([...address, current]), now, policy.windowSeconds),
      now,
      policy.maxFailures * PER_ADDRESS_FACTOR,
      policy.windowSeconds,
    );
    const counted = countingFailures(
      toAttempts(history.filter((r) => r.succeeded || !r.throttled)),
      now,
      account.memorySeconds,
    );
    const byAccount = accountBackoff(counted, now, account);

    const refusals = [byPair, byAddress, byAccount].filter((d) => !d.allowed);
    if (refusals.length) await tx.signInAttempt.update({ where: { id: attempt.id }, data: { throttled: true } });
    const decision: ThrottleDecision = refusals.length
      ? { allowed: false, retryAfterSeconds: Math.max(...refusals.map((d) => (d.allowed ? 0 : d.retryAfterSeconds))) }
      : { allowed: true };
    return { attemptId: attempt.id, decision, accountFailures: counted.length };
  });
}

export async function markSucceeded(database: Db, attemptId: bigint) {
  await database.signInAttempt.update({ where: { id: attemptId }, data: { succeeded: true } });
}
