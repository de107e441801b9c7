import { db } from "../db";
import { testCall } from "./test-call";

/** The connect screen's "test my key", on the running app's database (issue 21: app/ hands lib/ no handle). */
export const testCallFor = (...args: Parameters<typeof testCall> extends [unknown, ...infer Rest] ? Rest : never) =>
  testCall(db(), ...args);
