import { describe, expect, it } from "vitest";
import { pruneAnonymous, PRUNE_BATCH } from "../../lib/jobs/prune-anonymous";
import { PRUNE_CRON, schedulePruning } from "../../lib/jobs/prune";
import { openQueue, QUEUES } from "../../lib/jobs/queue";
import { LONGEST_MAIL_WINDOW_SECONDS } from "../../lib/mail/send-throttle";
import { at, makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();
const DAY = 86_400_000;
const ago = (now: Date, days: number) => new Date(now.getTime() - days * DAY);

async function attempt(email: string, createdAt: Date) {
  return (await t.db.signInAttempt.create({ data: { email, ip: "198.51.100.7", succeeded: false, createdAt } })).id;
}

async function visit(inviterId: string, when: Date) {
  return (
    await t.db.referralVisit.create({
      data: {
        inviterId,
        via: "link",
        ip: "198.51.100.7",
        network: "198.51.100.0/24",
        device: "d",
        userAgent: "ua",
        at: when,
      },
    })
  ).id;
}

describe("pruning what anonymous requests write", () => {
  it("SEC-2: the worker's pruning deletes exactly the stale rows: old sign-in attempts, unattributed visits past the invite cookie's life, expired magic-link tokens; it keeps the rest", async () => {
    const now = at("2027-09-01T00:00:00Z");
    const inviter = await makeUser(t.db, ago(now, 90));
    const friend = await makeUser(t.db, ago(now, 60));

    const staleAttempt = await attempt("a@example.test", ago(now, 31));
    const keptAttempts = [await attempt("a@example.test", ago(now, 29)), await attempt("b@example.test", ago(now, 0))];

    const staleVisit = await visit(inviter, ago(now, 32));
    // REF-6: a visit past REF-2's 72 hours still matters while a cookie can carry it to sign-up ("paid after 72 h").
    const keptVisits = [await visit(inviter, ago(now, 5)), await visit(inviter, ago(now, 29))];
    // An invitation rests on this one: REF-2 and the fraud review read it, however old.
    const attributed = await visit(inviter, ago(now, 60));
    await t.db.referral.create({
      data: {
        inviterId: inviter,
        friendId: friend,
        visitId: attributed,
        via: "link",
        visitedAt: ago(now, 60),
        network: "198.51.100.0/24",
        device: "d",
        state: "void",
        reason: "paid_late",
        createdAt: ago(now, 60),
        updatedAt: ago(now, 60),
      },
    });

    await t.db.verificationToken.createMany({
      data: [
        { identifier: "x@example.test", token: "expired", expires: new Date(now.getTime() - 1000) },
        { identifier: "x@example.test", token: "live", expires: new Date(now.getTime() + 60_000) },
      ],
    });

    // Sign-ups waiting for their confirmation, and e-mail throttle hits (SEC-2).
    const pending = (expiresAt: Date) => ({
      email: "p@example.test",
      passwordHash: "h",
      locale: "en",
      createdAt: ago(now, 1),
      expiresAt,
    });
    await t.db.signUpRequest.createMany({
      data: [pending(new Date(now.getTime() - 1000)), pending(new Date(now.getTime() + 60_000))],
    });
    await t.db.mailSendHit.createMany({
      data: [
        {
          scope: "signUp:to",
          key: "p@example.test",
          createdAt: new Date(now.getTime() - LONGEST_MAIL_WINDOW_SECONDS * 1000 - 1),
        },
        { scope: "signUp:to", key: "p@example.test", createdAt: new Date(now.getTime() - 1000) },
      ],
    });

    expect(await pruneAnonymous(t.db, now)).toEqual({
      signInAttempts: 1,
      visits: 1,
      verificationTokens: 1,
      signUpRequests: 1,
      mailSendHits: 1,
    });
    expect(await t.db.signUpRequest.count()).toBe(1);
    expect(await t.db.mailSendHit.count()).toBe(1);
    expect((await t.db.signInAttempt.findMany({ select: { id: true } })).map((r) => r.id).sort()).toEqual(
      keptAttempts.sort(),
    );
    expect(await t.db.signInAttempt.findUnique({ where: { id: staleAttempt } })).toBeNull();
    expect((await t.db.referralVisit.findMany({ select: { id: true } })).map((r) => r.id).sort()).toEqual(
      [...keptVisits, attributed].sort(),
    );
    expect(await t.db.referralVisit.findUnique({ where: { id: staleVisit } })).toBeNull();
    expect((await t.db.verificationToken.findMany()).map((v) => v.token)).toEqual(["live"]);
    // A second run finds nothing more.
    expect(await pruneAnonymous(t.db, now)).toEqual({
      signInAttempts: 0,
      visits: 0,
      verificationTokens: 0,
      signUpRequests: 0,
      mailSendHits: 0,
    });
  });

  it("SEC-2: a backlog is deleted in bounded batches, and a throttle window configured longer than the retention is kept whole", async () => {
    const now = at("2027-10-01T00:00:00Z");
    const n = 2 * PRUNE_BATCH + 1;
    await t.db.$executeRaw`INSERT INTO "sign_in_attempts" ("email", "ip", "succeeded", "created_at")
      SELECT 'flood@example.test', '203.0.113.' || (g % 250), false, ${ago(now, 40)}::timestamptz FROM generate_series(1, ${n}) g`;
    // With a 60-day throttle window (an operator's choice), 40-day-old attempts still count: nothing goes.
    expect((await pruneAnonymous(t.db, now, { throttleWindowSeconds: 60 * 86_400 })).signInAttempts).toBe(0);
    const others = await t.db.signInAttempt.count({
      where: { email: { not: "flood@example.test" }, createdAt: { lt: ago(now, 30) } },
    });
    expect((await pruneAnonymous(t.db, now)).signInAttempts).toBe(n + others);
    expect(await t.db.signInAttempt.count({ where: { email: "flood@example.test" } })).toBe(0);
  });

  it("SEC-2: the pruning runs on the worker's queue: scheduled hourly by pg-boss's cron (one job per hour however many workers), and its job prunes", async () => {
    const boss = await openQueue({ databaseUrl: t.url, timeoutSeconds: 10, onError: () => {} });
    try {
      const now = at("2027-11-01T00:00:00Z");
      const lines: string[] = [];
      const stale = await attempt("c@example.test", ago(now, 45));
      // The job the cron would make (sent first: the worker's first poll takes it, its next is half a minute later).
      await boss.send(QUEUES.prune, {});
      await schedulePruning(
        boss,
        async () => ({ db: t.db, now }),
        (l) => lines.push(l),
        60,
      );
      expect((await boss.getSchedules()).map((s) => [s.name, s.cron])).toContainEqual([QUEUES.prune, PRUNE_CRON]);
      for (let i = 0; i < 100 && (await t.db.signInAttempt.findUnique({ where: { id: stale } })); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await t.db.signInAttempt.findUnique({ where: { id: stale } })).toBeNull();
      await expect.poll(() => lines.some((l) => l.startsWith("pruned:"))).toBe(true);
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });
});
