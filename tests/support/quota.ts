import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { subscribe, upgrade } from "../../lib/billing";
import type { Db } from "../../lib/db";
import { consume, createKey, quotaContextFor, type Decision, type QuotaContext } from "../../lib/quota";
import { liveSub, makeUser } from "./billing";
import { fakePayments } from "./fake-payments";

/** A subscriber on `tier` (current version unless one is given) with one API key. */
export async function subscriberWithKey(
  db: Db,
  now: Date,
  tier: "lite" | "pro" | "max" = "lite",
  opts: { version?: number } = {},
) {
  const userId = await makeUser(db, now);
  const { port } = fakePayments();
  const outcome = await subscribe({ db, now, port }, { userId, tier, cycle: "monthly", requestId: randomUUID() });
  expect(outcome.status).toBe("paid");
  if (opts.version) {
    const v = await db.planVersion.findUniqueOrThrow({ where: { tier_version: { tier, version: opts.version } } });
    await db.subscription.updateMany({ where: { userId }, data: { planVersionId: v.id, updatedAt: now } });
  }
  const { secret, key } = await createKey(db, userId, "laptop", now);
  return {
    userId,
    secret,
    keyId: key.id,
    sub: await liveSub(db, userId),
    port,
    upgradeTo: (t: "pro" | "max", when: Date) =>
      upgrade({ db, now: when, port }, { userId, tier: t, cycle: "monthly", requestId: randomUUID() }),
  };
}

export function ctxOf(db: Db, url: string): QuotaContext {
  return quotaContextFor(db, url);
}

let n = 0;
/** One consume with a fresh request id unless one is given. */
export function ask(
  ctx: QuotaContext,
  secret: string,
  now: Date,
  opts: { model?: string; kind?: "prompt" | "vision" | "web_search" | "web_reader"; requestId?: string } = {},
): Promise<Decision> {
  n += 1;
  return consume(
    ctx,
    {
      key: secret,
      model: opts.model ?? "glm-4.7",
      kind: opts.kind ?? "prompt",
      requestId: opts.requestId ?? `req-${n}-${randomUUID()}`,
    },
    now,
  );
}

export function refusalCode(d: Decision): string | null {
  return d.allowed ? null : d.refusal.code;
}
