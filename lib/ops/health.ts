import type { Db } from "../db";

/** For load balancers and the start script: whether the database answers a trivial query. */
export function databaseAnswers(database: Db): Promise<boolean> {
  return database.$queryRaw`SELECT 1`.then(() => true).catch(() => false);
}
