import { describe, expect, it } from "vitest";
import { ClockError, testClock } from "../../lib/clock/clock";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

const HOUR = 3_600_000;

describe("test clock", () => {
  it("starts at real time and moves forward by the amount asked, for every reader of the database", async () => {
    const clock = testClock(t.db);
    const before = Date.now();
    expect(await clock.offsetMs()).toBe(0);
    const moved = await clock.advanceBy(24 * HOUR);
    expect(moved.getTime()).toBeGreaterThanOrEqual(before + 24 * HOUR);
    // A second clock over the same database (another process, say) sees the same time.
    const other = testClock(t.db);
    expect(await other.offsetMs()).toBe(24 * HOUR);
    const seen = (await other.now()).getTime();
    expect(seen - Date.now()).toBeGreaterThanOrEqual(24 * HOUR - 50);
    expect(seen - Date.now()).toBeLessThanOrEqual(24 * HOUR + 50);
  });

  it("concurrent advances all count (one atomic increment each)", async () => {
    const clock = testClock(t.db);
    const start = await clock.offsetMs();
    await Promise.all(Array.from({ length: 10 }, () => clock.advanceBy(HOUR)));
    expect(await clock.offsetMs()).toBe(start + 10 * HOUR);
  });

  it("never runs backwards: a negative step or an earlier target is refused and changes nothing", async () => {
    const clock = testClock(t.db);
    const start = await clock.offsetMs();
    await expect(clock.advanceBy(-1)).rejects.toThrow(ClockError);
    await expect(clock.advanceTo(new Date(Date.now() - HOUR))).rejects.toThrow(ClockError);
    expect(await clock.offsetMs()).toBe(start);
  });

  it("advanceTo lands on the requested instant", async () => {
    const clock = testClock(t.db);
    const target = new Date((await clock.now()).getTime() + 90 * 24 * HOUR);
    const now = await clock.advanceTo(target);
    expect(Math.abs(now.getTime() - target.getTime())).toBeLessThan(50);
  });
});
