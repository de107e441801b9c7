import { describe, expect, it } from "vitest";
import { sendRenewalReminders, subscribe } from "../../lib/billing";
import { mailPendingNotices } from "../../lib/notices";
import { at, giveCredits, liveSub, makeUser } from "../support/billing";
import { setupFreshDatabase } from "../support/database";
import { fakePayments } from "../support/fake-payments";

const t = setupFreshDatabase();
const HOUR = 3_600_000;

async function subscriber(now: Date, region: "intl" | "cn" = "intl") {
  const userId = await makeUser(t.db, now, { region });
  await giveCredits(t.db, userId, 100_000n, now, region === "cn" ? "CNY" : "USD");
  const pay = fakePayments();
  expect(
    (await subscribe({ db: t.db, now, port: pay.port }, { userId, tier: "lite", cycle: "monthly", requestId: "r" }))
      .status,
  ).toBe("paid");
  return { userId, sub: await liveSub(t.db, userId) };
}

describe("renewal reminders (SUB-2, SUB-3)", () => {
  it("SUB-3: the reminder goes out once, within the lead before the cancellation cutoff (24 h intl), never after the cutoff", async () => {
    const { userId, sub } = await subscriber(at("2027-03-01T00:00:00Z"));
    const cutoff = sub.periodEnd.getTime() - 24 * HOUR;
    const reminders = () => t.db.notice.findMany({ where: { userId, kind: "renewal_reminder" } });

    // One second before the window (72 h before the cutoff) opens: nothing.
    await sendRenewalReminders({ db: t.db, now: new Date(cutoff - 72 * HOUR - 1000) }, 72);
    expect(await reminders()).toHaveLength(0);
    expect(await sendRenewalReminders({ db: t.db, now: new Date(cutoff - 72 * HOUR) }, 72)).toBeGreaterThanOrEqual(1);
    // Already reminded: the next sweeps do not even pick it up.
    expect(await sendRenewalReminders({ db: t.db, now: new Date(cutoff - 10 * HOUR) }, 72)).toBe(0);
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0].params).toMatchObject({
      renewsAt: sub.periodEnd.toISOString(),
      cutoffAt: new Date(cutoff).toISOString(),
    });
  });

  it("SUB-3: past the cutoff, or with auto-renewal off, no reminder is sent", async () => {
    const late = await subscriber(at("2027-03-02T00:00:00Z"));
    await sendRenewalReminders({ db: t.db, now: new Date(late.sub.periodEnd.getTime() - 24 * HOUR) }, 72);
    expect(await t.db.notice.count({ where: { userId: late.userId, kind: "renewal_reminder" } })).toBe(0);

    const off = await subscriber(at("2027-03-03T00:00:00Z"));
    await t.db.subscription.update({ where: { id: off.sub.id }, data: { autoRenew: false } });
    await sendRenewalReminders({ db: t.db, now: new Date(off.sub.periodEnd.getTime() - 30 * HOUR) }, 72);
    expect(await t.db.notice.count({ where: { userId: off.userId, kind: "renewal_reminder" } })).toBe(0);
  });

  it("SUB-3: China's 72 h cutoff moves the reminder earlier", async () => {
    const { userId, sub } = await subscriber(at("2027-03-04T00:00:00Z"), "cn");
    await sendRenewalReminders({ db: t.db, now: new Date(sub.periodEnd.getTime() - 71 * HOUR) }, 72);
    expect(await t.db.notice.count({ where: { userId, kind: "renewal_reminder" } })).toBe(0);
    await sendRenewalReminders({ db: t.db, now: new Date(sub.periodEnd.getTime() - 100 * HOUR) }, 72);
    expect(await t.db.notice.count({ where: { userId, kind: "renewal_reminder" } })).toBe(1);
  });
});

describe("notice e-mails (outbox)", () => {
  it("SUB-2: each notice is mailed once, in the subscriber's language and time zone", async () => {
    const now = at("2027-04-01T00:00:00Z");
    const { userId, sub } = await subscriber(now);
    await t.db.user.update({ where: { id: userId }, data: { locale: "zh-CN", timeZone: "Asia/Shanghai" } });
    await sendRenewalReminders({ db: t.db, now: new Date(sub.periodEnd.getTime() - 30 * HOUR) }, 72);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });

    await Promise.all([mailPendingNotices(t.db, now), mailPendingNotices(t.db, now)]);
    await mailPendingNotices(t.db, now);
    const mails = await t.db.devMail.findMany({ where: { to: user.email } });
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("CodePlan: 您的套餐即将续费");
    // 2027-05-01T00:00Z renewal is 08:00 in Shanghai.
    expect(mails[0].text).toContain("08:00");
    expect(await t.db.notice.count({ where: { userId, mailedAt: null } })).toBe(0);
  });
});
