import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countingFailures, decide, type Attempt } from "../../lib/auth/throttle-policy";

const NOW = new Date("2030-01-01T12:00:00.000Z");
const WINDOW = 60;
const LIMIT = 5;

/** A date `ms` milliseconds before NOW. */
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const fail = (msAgo: number): Attempt => ({ at: ago(msAgo), succeeded: false });
const ok = (msAgo: number): Attempt => ({ at: ago(msAgo), succeeded: true });
const ms = (d: Date[]) => d.map((x) => x.getTime());

describe("countingFailures", () => {
  it("throttle: a failure exactly windowSeconds old does not count", () => {
    expect(countingFailures([fail(60_000)], NOW, WINDOW)).toEqual([]);
  });

  it("throttle: a failure 1 ms newer than windowSeconds old counts", () => {
    expect(ms(countingFailures([fail(59_999)], NOW, WINDOW))).toEqual([NOW.getTime() - 59_999]);
  });

  it("throttle: a failure 1 ms older than the window does not count", () => {
    expect(countingFailures([fail(60_001)], NOW, WINDOW)).toEqual([]);
  });

  it("throttle: a failure at the current instant counts", () => {
    expect(ms(countingFailures([fail(0)], NOW, WINDOW))).toEqual([NOW.getTime()]);
  });

  it("throttle: the window length comes from windowSeconds (10 s window drops a failure 10 s old, keeps one 9.999 s old)", () => {
    expect(ms(countingFailures([fail(10_000), fail(9_999)], NOW, 10))).toEqual([NOW.getTime() - 9_999]);
  });

  it("throttle: successes are never counted as failures", () => {
    expect(countingFailures([ok(1_000), ok(2_000)], NOW, WINDOW)).toEqual([]);
  });

  it("throttle: a success resets the count, only failures after it count", () => {
    const attempts = [fail(50_000), fail(40_000), fail(30_000), ok(20_000), fail(10_000), fail(5_000)];
    expect(ms(countingFailures(attempts, NOW, WINDOW))).toEqual([NOW.getTime() - 10_000, NOW.getTime() - 5_000]);
  });

  it("throttle: only the latest success resets, whatever order the attempts arrive in", () => {
    const attempts = [fail(5_000), ok(20_000), fail(50_000), ok(45_000), fail(10_000), fail(30_000)];
    expect(ms(countingFailures(attempts, NOW, WINDOW))).toEqual([NOW.getTime() - 10_000, NOW.getTime() - 5_000]);
  });

  it("throttle: a success older than the window still resets the failures before it", () => {
    const attempts = [fail(90_000), ok(70_000), fail(30_000)];
    expect(ms(countingFailures(attempts, NOW, WINDOW))).toEqual([NOW.getTime() - 30_000]);
  });

  it("throttle: a success as the latest attempt leaves nothing counting", () => {
    const attempts = [fail(30_000), fail(20_000), fail(10_000), ok(1_000)];
    expect(countingFailures(attempts, NOW, WINDOW)).toEqual([]);
  });

  it("throttle: failures come back sorted oldest first and the input array is not reordered", () => {
    const attempts = [fail(1_000), fail(3_000), fail(2_000)];
    const copy = attempts.map((a) => ({ ...a }));
    expect(ms(countingFailures(attempts, NOW, WINDOW))).toEqual([
      NOW.getTime() - 3_000,
      NOW.getTime() - 2_000,
      NOW.getTime() - 1_000,
    ]);
    expect(attempts).toEqual(copy);
  });

  it("throttle: no attempts means no failures", () => {
    expect(countingFailures([], NOW, WINDOW)).toEqual([]);
  });

  it("throttle: countingFailures matches a reference model (in window, after the latest success)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ msAgo: fc.integer({ min: 0, max: 200_000 }), succeeded: fc.boolean() }), {
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 120 }),
        (raw, windowSeconds) => {
          // Distinct timestamps so "latest success" is unambiguous.
          const seen = new Set<number>();
          const attempts = raw
            .filter((r) => (seen.has(r.msAgo) ? false : (seen.add(r.msAgo), true)))
            .map((r) => ({ at: ago(r.msAgo), succeeded: r.succeeded }));
          const since = NOW.getTime() - windowSeconds * 1000;
          const latestSuccess = Math.max(-Infinity, ...attempts.filter((a) => a.succeeded).map((a) => a.at.getTime()));
          const expected = attempts
            .filter((a) => !a.succeeded && a.at.getTime() > since && a.at.getTime() > latestSuccess)
            .map((a) => a.at.getTime())
            .sort((a, b) => a - b);
          expect(ms(countingFailures(attempts, NOW, windowSeconds))).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("decide", () => {
  it("throttle: no failures is allowed", () => {
    expect(decide([], NOW, LIMIT, WINDOW)).toEqual({ allowed: true });
  });

  it("throttle: failures 1 through 5 inside 60 s are each allowed with limit 5", () => {
    // An attempt is recorded before it is judged, so the k-th failure sees k rows.
    const times = [0, 1, 2, 3, 4].map((s) => new Date(NOW.getTime() + s * 1000));
    for (let k = 1; k <= 5; k++) {
      const now = times[k - 1];
      const failures = countingFailures(
        times.slice(0, k).map((at) => ({ at, succeeded: false })),
        now,
        WINDOW,
      );
      expect(failures).toHaveLength(k);
      expect(decide(failures, now, LIMIT, WINDOW)).toEqual({ allowed: true });
    }
  });

  it("throttle: the 6th failure inside 60 s is refused with the wait until the oldest ages out", () => {
    // Failures at t=0,1,2,3,4,5 s; judged at t=5 s. The oldest leaves the window at t=60 s → 55 s.
    const t0 = NOW.getTime();
    const attempts = [0, 1, 2, 3, 4, 5].map((s) => ({ at: new Date(t0 + s * 1000), succeeded: false }));
    const now = new Date(t0 + 5_000);
    const failures = countingFailures(attempts, now, WINDOW);
    expect(failures).toHaveLength(6);
    expect(decide(failures, now, LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 55 });
  });

  it("throttle: with 7 failures the wait is until the 2nd oldest ages out", () => {
    const t0 = NOW.getTime();
    const failures = [0, 10, 20, 30, 40, 50, 55].map((s) => new Date(t0 + s * 1000));
    const now = new Date(t0 + 55_000);
    // Two must leave to get back to 5: the one at t=10 s leaves at t=70 s → 15 s.
    expect(decide(failures, now, LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 15 });
  });

  it("throttle: decide does not depend on the order failures are given in", () => {
    const t0 = NOW.getTime();
    const failures = [55, 0, 40, 10, 30, 50, 20].map((s) => new Date(t0 + s * 1000));
    expect(decide(failures, new Date(t0 + 55_000), LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 15 });
  });

  it("throttle: exactly limit failures is allowed, limit + 1 is refused (limit 1)", () => {
    expect(decide([ago(1_000)], NOW, 1, WINDOW)).toEqual({ allowed: true });
    expect(decide([ago(2_000), ago(1_000)], NOW, 1, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 58 });
  });

  it("throttle: the wait is rounded up to whole seconds (0.001 s left → 1, 1.001 s left → 2)", () => {
    const six = (oldestMsAgo: number) => [ago(oldestMsAgo), ago(5), ago(4), ago(3), ago(2), ago(1)];
    expect(decide(six(59_999), NOW, LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(decide(six(58_999), NOW, LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(decide(six(59_000), NOW, LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("throttle: the wait is at least 1 s even when the deciding failure is already out of the window", () => {
    const failures = [ago(120_000), ago(5), ago(4), ago(3), ago(2), ago(1)];
    expect(decide(failures, NOW, LIMIT, WINDOW)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("throttle: a success resets the count so the next failure is allowed again", () => {
    const attempts = [
      fail(50_000),
      fail(40_000),
      fail(30_000),
      fail(20_000),
      fail(15_000),
      fail(12_000),
      ok(10_000),
      fail(0),
    ];
    const failures = countingFailures(attempts, NOW, WINDOW);
    expect(ms(failures)).toEqual([NOW.getTime()]);
    expect(decide(failures, NOW, LIMIT, WINDOW)).toEqual({ allowed: true });
    // Without the success the same failures are refused.
    const withoutSuccess = attempts.filter((a) => !a.succeeded);
    expect(decide(countingFailures(withoutSuccess, NOW, WINDOW), NOW, LIMIT, WINDOW)).toEqual({
      allowed: false,
      retryAfterSeconds: 20,
    });
  });

  it("throttle: after waiting retryAfterSeconds the same failures are allowed; one second less is still refused", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }), // limit
        fc.integer({ min: 1, max: 600 }), // window seconds
        // Successes are rare (1 in 10) so that most runs reach a refusal.
        fc.array(
          fc.record({
            frac: fc.double({ min: 0, max: 1.5, noNaN: true }),
            succeeded: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
          }),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (limit, windowSeconds, raw) => {
          const attempts: Attempt[] = raw.map((r) => ({
            at: ago(Math.floor(r.frac * windowSeconds * 1000)),
            succeeded: r.succeeded,
          }));
          const verdict = decide(countingFailures(attempts, NOW, windowSeconds), NOW, limit, windowSeconds);
          if (verdict.allowed) return;

          const { retryAfterSeconds } = verdict;
          expect(Number.isInteger(retryAfterSeconds)).toBe(true);
          expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
          expect(retryAfterSeconds).toBeLessThanOrEqual(windowSeconds);

          const later = new Date(NOW.getTime() + retryAfterSeconds * 1000);
          expect(decide(countingFailures(attempts, later, windowSeconds), later, limit, windowSeconds)).toEqual({
            allowed: true,
          });

          if (retryAfterSeconds > 1) {
            const sooner = new Date(NOW.getTime() + (retryAfterSeconds - 1) * 1000);
            expect(
              decide(countingFailures(attempts, sooner, windowSeconds), sooner, limit, windowSeconds).allowed,
            ).toBe(false);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("throttle: for any limit, limit failures in the window are allowed and limit + 1 are refused", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 21, maxLength: 21 }),
        (limit, windowSeconds, fracs) => {
          const failures = fracs.slice(0, limit + 1).map((f) => ago(Math.floor(f * windowSeconds * 1000)));
          expect(
            countingFailures(
              failures.map((at) => ({ at, succeeded: false })),
              NOW,
              windowSeconds,
            ),
          ).toHaveLength(limit + 1);
          expect(decide(failures.slice(0, limit), NOW, limit, windowSeconds)).toEqual({ allowed: true });
          expect(decide(failures, NOW, limit, windowSeconds).allowed).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
