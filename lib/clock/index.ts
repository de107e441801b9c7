import { db } from "../db";
import { isProduction } from "../config/env";
import { ClockError, systemClock, testClock, type Clock } from "./clock";

export { systemClock, testClock, ClockError, type Clock } from "./clock";

/** The running app's clock: the system clock in production, the movable test clock elsewhere. */
export function appClock(): Clock {
  return isProduction() ? systemClock : testClock(db());
}

/** The movable clock, for the admin development page; refused in production. */
export function movableClock() {
  if (isProduction()) throw new ClockError("clock_frozen_in_production");
  return testClock(db());
}
