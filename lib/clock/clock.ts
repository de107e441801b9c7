import { DomainError } from "../errors/domain-error";
import type { Db } from "../db";

/**
 * The one source of time. Domain code takes `now` as an argument; only edges
 * (actions, routes, jobs) ask a Clock for it.
 */
export type Clock = { now(): Promise<Date> };

export const systemClock: Clock = { now: async () => new Date() };

/** An admin's refused move of the test clock: production time never moves, and time never runs backwards. */
export class ClockError extends DomainError<"clock_frozen_in_production" | "clock_backwards"> {
  constructor(code: "clock_frozen_in_production" | "clock_backwards") {
    super(code, code, code === "clock_frozen_in_production" ? 403 : 409);
  }
}

/**
 * Outside production, time is the system time plus an offset kept in the
 * database, so the app, its jobs and the tests all see the same moved clock
 * (like Stripe's test clocks). The offset only grows: time never runs backwards.
 */
export function testClock(database: Db): Clock & {
  offsetMs(): Promise<number>;
  advanceBy(ms: number): Promise<Date>;
  advanceTo(target: Date): Promise<Date>;
} {
  const offsetMs = async () => {
    const row = await database.testClock.findUnique({ where: { id: 1 } });
    return row ? Number(row.offsetMs) : 0;
  };
  const advanceBy = async (ms: number) => {
    if (!Number.isSafeInteger(ms) || ms < 0) throw new ClockError("clock_backwards");
    const real = new Date();
    // One atomic increment, so two concurrent advances both count.
    const row = await database.testClock.upsert({
      where: { id: 1 },
      create: { id: 1, offsetMs: BigInt(ms), updatedAt: real },
      update: { offsetMs: { increment: BigInt(ms) }, updatedAt: real },
    });
    return new Date(real.getTime() + Number(row.offsetMs));
  };
  return {
    offsetMs,
    now: async () => new Date(Date.now() + (await offsetMs())),
    advanceBy,
    advanceTo: async (target) => {
      const current = Date.now() + (await offsetMs());
      if (target.getTime() < current) throw new ClockError("clock_backwards");
      return advanceBy(target.getTime() - current);
    },
  };
}
