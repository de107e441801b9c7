import type { Db } from "../db";
import { countingFailures, decide, type ThrottleDecision, type ThrottlePolicy } from "./throttle-policy";

// One address may try many e-mails (a shared office network), but not unboundedly.
const PER_ADDRESS_FACTOR = 4;

/**
 * Records this attempt as a failure, then judges the recent history of this
 * e-mail from this address, and of the address alone. Returns the decision and
 * the attempt id, which `markSucceeded` flips when the password was right.
 */
export async function recordAndJudgeAttempt(
  database: Db,
  input: { email: string; ip: string; now: Date; policy: ThrottlePolicy },
): Promise<{ attemptId: bigint; decision: ThrottleDecision }> {
  const { email, ip, now, policy } = input;
  const attempt = await database.signInAttempt.create({ data: { email, ip, succeeded: false, createdAt: now } });
  const since = new Date(now.getTime() - policy.windowSeconds * 1000);
  const [pair, address] = await Promise.all([
    database.signInAttempt.findMany({
      where: { email, ip, createdAt: { lte: now } },
      orderBy: { createdAt: "desc" },
      take: 200,
      select: { createdAt: true, succeeded: true },
    }),
    database.signInAttempt.findMany({
      where: { ip, succeeded: false, createdAt: { gt: since, lte: now } },
      select: { createdAt: true, succeeded: true },
    }),
  ]);
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
