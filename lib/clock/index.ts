import { db, type Db } from "../db";
import { env } from "../config/env";
import { ClockError, systemClock, testClock, type Clock } from "./clock";

export { systemClock, testClock, ClockError, type Clock } from "./clock";

type AppEnv = "development" | "test" | "production";

/** Production reads the system clock, which nothing can move; elsewhere the movable test clock. */
export function clockFor(appEnv: AppEnv, database: () => Db): Clock {
  return appEnv === "production" ? systemClock : testClock(database());
}

/** The running app's clock. */
export function appClock(): Clock {
  return clockFor(env().APP_ENV, db);
}

/** The movable clock, for the admin development page and test helpers; refused in production. */
export function movableClockFor(appEnv: AppEnv, database: () => Db) {
  if (appEnv === "production") throw new ClockError("clock_frozen_in_production");
  return testClock(database());
}

export function movableClock() {
  return movableClockFor(env().APP_ENV, db);
}
