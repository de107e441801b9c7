import { describe, expect, it } from "vitest";
import { policySettings } from "../../lib/policy/config";
import { violationQueue, violationsOf } from "../../lib/policy/queries";
import { decideViolation, recordViolation, requestReview } from "../../lib/policy/violations";
import { setupFreshDatabase } from "../support/database";
import { subscriberWithKey } from "../support/quota";

const t = setupFreshDatabase();
const settings = policySettings();
const H = 3_600_000;

describe("usage-policy read models", () => {
  it("POLICY-2: the subscriber's view lists violations newest first, with the throttle at the time asked and the key named by the evidence", async () => {
    const now = new Date("2027-05-01T10:00:00Z");
    const s = await subscriberWithKey(t.db, now, "lite");
    await recordViolation(t.db, { userId: s.userId, rule: "not_coding", evidence: { calls: 30 }, now });
    const later = new Date(now.getTime() + (settings.throttle.quietHours + 1) * H);
    await recordViolation(t.db, {
      userId: s.userId,
      rule: "key_sharing",
      evidence: { keyId: s.keyId, networks: ["a", "b", "c", "d"] },
      now: later,
    });

    const mine = await violationsOf(t.db, s.userId, later);
    expect(mine.violations.map((v) => v.rule)).toEqual(["key_sharing", "not_coding"]);
    expect(mine.throttledUntil).toEqual(new Date(later.getTime() + settings.throttle.quietHours * H));
    expect(mine.banned).toBe(false);
    expect(mine.keyNames).toEqual({ [s.keyId]: "laptop" });
    // Once the quiet period is over, the plan is not throttled any more.
    expect(
      (await violationsOf(t.db, s.userId, new Date(later.getTime() + settings.throttle.quietHours * H))).throttledUntil,
    ).toBeNull();
  });

  it("POLICY-2: the admin queue shows undecided violations, review requests first; filters narrow it, and decided ones name who decided", async () => {
    const now = new Date("2027-05-10T10:00:00Z");
    const admin = await subscriberWithKey(t.db, now, "lite");
    const asker = await subscriberWithKey(t.db, now, "lite");
    const quiet = await subscriberWithKey(t.db, now, "lite");
    await recordViolation(t.db, { userId: asker.userId, rule: "not_coding", evidence: {}, now });
    // Newer, but without a review request: it comes after the request.
    await recordViolation(t.db, {
      userId: quiet.userId,
      rule: "key_sharing",
      evidence: {},
      now: new Date(now.getTime() + H),
    });
    const asked = await t.db.policyViolation.findFirstOrThrow({ where: { userId: asker.userId } });
    await requestReview(t.db, {
      userId: asker.userId,
      violationId: asked.id,
      note: "only me",
      now: new Date(now.getTime() + 2 * H),
    });

    const queue = await violationQueue(t.db, {});
    expect(
      queue.violations.filter((v) => [asker.userId, quiet.userId].includes(v.userId)).map((v) => v.user.id),
    ).toEqual([asker.userId, quiet.userId]);
    expect(queue.violations.find((v) => v.id === asked.id)?.user.subscriptions[0].throttledUntil).not.toBeNull();
    expect((await violationQueue(t.db, { rule: "key_sharing", userId: quiet.userId })).violations).toHaveLength(1);
    expect((await violationQueue(t.db, { state: "review_requested", userId: quiet.userId })).violations).toHaveLength(
      0,
    );

    await decideViolation(t.db, {
      adminId: admin.userId,
      violationId: asked.id,
      decision: "reverse",
      reason: "travelling",
      now: new Date(now.getTime() + 3 * H),
    });
    expect((await violationQueue(t.db, { userId: asker.userId })).violations).toHaveLength(0);
    const decided = await violationQueue(t.db, { state: "all", userId: asker.userId });
    expect(decided.violations).toMatchObject([{ state: "reversed", decisionReason: "travelling" }]);
    expect(decided.deciders[admin.userId]).toMatch(/@/);
  });
});
