import { db, type Db } from "./client";

/**
 * A context's function bound to the running app's database: what a context's
 * face hands app/, which holds no database handle (issue 21). The face names
 * each function it offers, so what app/ may call stays a short, reviewed list.
 */
export const onAppDb =
  <A extends unknown[], R>(run: (database: Db, ...args: A) => R) =>
  (...args: A): R =>
    run(db(), ...args);
