import { recordAudit } from "../audit/record";
import { Prisma, type Db, type User } from "../db";
import { hashPassword, verifyPassword } from "./password";
import { markSucceeded, recordAndJudgeAttempt } from "./throttle";
import type { ThrottlePolicy } from "./throttle-policy";
import type { z } from "zod";
import type { signUpSchema } from "./schemas";

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "status" | "locale" | "region">;

export type SignUpResult = { ok: true; user: PublicUser } | { ok: false; error: "email_taken" };

export async function signUp(
  database: Db,
  input: z.output<typeof signUpSchema>,
  ctx: { now: Date; ip: string | null },
): Promise<SignUpResult> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await database.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          email: input.email,
          name: input.name,
          passwordHash,
          locale: input.locale,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        },
      });
      await recordAudit(tx, {
        actorId: created.id,
        action: "user.sign_up",
        subjectType: "user",
        subjectId: created.id,
        after: { email: created.email, name: created.name, locale: created.locale },
        ip: ctx.ip,
        at: ctx.now,
      });
      return created;
    });
    return { ok: true, user: toPublic(user) };
  } catch (e) {
    // The unique index decides, so two simultaneous sign-ups cannot both win.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return { ok: false, error: "email_taken" };
    throw e;
  }
}

export type AuthenticateResult =
  | { ok: true; user: PublicUser }
  | { ok: false; error: "invalid_credentials" | "banned" }
  | { ok: false; error: "throttled"; retryAfterSeconds: number };

export async function authenticate(
  database: Db,
  input: { email: string; password: string },
  ctx: { now: Date; ip: string; policy: ThrottlePolicy },
): Promise<AuthenticateResult> {
  const { attemptId, decision } = await recordAndJudgeAttempt(database, {
    email: input.email,
    ip: ctx.ip,
    now: ctx.now,
    policy: ctx.policy,
  });
  if (!decision.allowed) return { ok: false, error: "throttled", retryAfterSeconds: decision.retryAfterSeconds };

  const user = await database.user.findUnique({ where: { email: input.email } });
  const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !valid) return { ok: false, error: "invalid_credentials" };
  await markSucceeded(database, attemptId);
  if (user.status === "banned") return { ok: false, error: "banned" };
  return { ok: true, user: toPublic(user) };
}

export function toPublic(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, locale: u.locale, region: u.region };
}
