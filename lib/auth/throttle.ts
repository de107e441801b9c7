import type { Db } from "../db";
import { countingFailures, decide, type ThrottleDecision, type ThrottlePolicy } from "./throttle-policy";

// One address may try many e-mails (a shared office network), but not unboundedly.
const PER_ADDRESS_FACTOR = 4;

/**
 * Records this attempt as a failure, then judges the recent history of this
 * e-mail from this address, and of the address alone. Recording before judging
 * means concurrent guesses can never all slip under the limit. Returns the decision and
 * the attempt id, which `markSucceeded` flips when the password was right.
 */
export async function recordAndJudgeAttempt(
  database: Db,
  input: { email: string; ip: string; now: Date; policy: ThrottlePolicy },
): Promise<{ attemptId: bigint; decision: ThrottleDecision }> {
  const { email, ip, now, policy } = input;
  const since = new Date(now.getTime() - policy.windowSeconds * 1000);
  // Attempts for one e-mail from one address are judged one at a time (a lock
  // held until commit), so a burst of N guesses gets exactly `maxFailures` checks.
  const { attempt, pair, address } = await database.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`signin:${email}:${ip}`}, 0))`;
    const attempt = await tx.signInAttempt.create({ data: { email, ip, succeeded: false, createdAt: now } });
    // Only the window matters: older failures never count, and a success
    // before the window resets nothing that is still inside it.
    const pair = await tx.signInAttempt.findMany({
      where: { email, ip, createdAt: { gt: since, lte: now } },
      select: { createdAt: true, succeeded: true },
    });
    const address = await tx.signInAttempt.findMany({
      where: { ip, succeeded: false, createdAt: { gt: since, lte: now } },
      select: { createdAt: true, succeeded: true },
    });
    return { attempt, pair, address };
  });
  const toAttempts = (rows: { createdAt: Date; succeeded: boolean }[]) =>
    rows.map((r) => ({ at: r.createdAt, succeeded: r.succeeded }));
  const byPair = decide(countingFailures(toAttempts(pair), now, policy.windowSeconds), now, policy.maxFailures, policy.windowSeconds);
  const byAddress = decide(
    countingFailures(toAttempts(address), now, policy.windowSeconds),
    now,
    policy.maxFailures * PER_ADDRESS_FACTOR,
    policy.windowSeconds,
  );
  const refusals = [byPair, byAddress].filter((d) => !d.allowed);
  const decision: ThrottleDecision = refusals.length
    ? { allowed: false, retryAfterSeconds: Math.max(...refusals.map((d) => (d.allowed ? 0 : d.retryAfterSeconds))) }
    : { allowed: true };
  return { attemptId: attempt.id, decision };
}

export async function markSucceeded(database: Db, attemptId: bigint) {
  await database.signInAttempt.update({ where: { id: attemptId }, data: { succeeded: true } });
}
