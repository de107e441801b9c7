import type { Db, User } from "../db";
import { verifyPassword } from "./password";
import { markSucceeded, recordAndJudgeAttempt } from "./throttle";
import { sendLockoutNotice } from "./lockout-notice";
import { accountPolicyOf, type ThrottlePolicy } from "./throttle-policy";

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "status" | "locale" | "region">;

export type AuthenticateResult =
  | { ok: true; user: PublicUser }
  | { ok: false; error: "invalid_credentials" | "banned" }
  | { ok: false; error: "throttled"; retryAfterSeconds: number };

export async function authenticate(
  database: Db,
  input: { email: string; password: string },
  ctx: { now: Date; ip: string; policy: ThrottlePolicy },
): Promise<AuthenticateResult> {
  const { attemptId, decision, accountFailures } = await recordAndJudgeAttempt(database, {
    email: input.email,
    ip: ctx.ip,
    now: ctx.now,
    policy: ctx.policy,
  });
  if (!decision.allowed) return { ok: false, error: "throttled", retryAfterSeconds: decision.retryAfterSeconds };

  const user = await database.user.findUnique({ where: { email: input.email } });
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) {
    // SEC-2: this failure starts the account's growing delays; its owner hears of it (once per run of failures).
    const account = accountPolicyOf(ctx.policy);
    if (user && accountFailures + 1 === account.freeFailures) await sendLockoutNotice(user, account, ctx.now);
    return { ok: false, error: "invalid_credentials" };
  }
  await markSucceeded(database, attemptId);
  if (user.status === "banned") return { ok: false, error: "banned" };
  return { ok: true, user: toPublic(user) };
}

export function toPublic(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, locale: u.locale, region: u.region };
}
