import { describe, expect, it } from "vitest";
import { ClockError, clockFor, movableClockFor, systemClock } from "../../lib/clock";
import type { Db } from "../../lib/db";

// A database that must never be touched: production time never reads it.
const untouchable = (): Db => {
  throw new Error("production must not read the test clock from the database");
};

describe("clock", () => {
  it("clock: in production the app reads the system clock and never the database", async () => {
    const clock = clockFor("production", untouchable);
    expect(clock).toBe(systemClock);
    const before = Date.now();
    const now = (await clock.now()).getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("clock: in production the clock cannot be moved", () => {
    expect(() => movableClockFor("production", untouchable)).toThrow(ClockError);
    try {
      movableClockFor("production", untouchable);
    } catch (e) {
      expect((e as ClockError).code).toBe("clock_frozen_in_production");
    }
  });

  it("clock: outside production the app uses the movable test clock", () => {
    let asked = 0;
    const fake = (() => {
      asked += 1;
      return {} as Db;
    }) as () => Db;
    expect(clockFor("development", fake)).not.toBe(systemClock);
    expect(clockFor("test", fake)).not.toBe(systemClock);
    expect(asked).toBe(2);
  });
});
