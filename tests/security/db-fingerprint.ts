import pg from "pg";

/**
 * Tables a request may legitimately write whoever sends it, so a refused
 * request can still change them; every other public table must stay exactly
 * as it was.
 * - sign_in_attempts, mail_send_hits: the throttles (SEC-2) count refused and
 *   anonymous attempts by design; that is how they throttle.
 * - referral_visits: an invite link records every visit, signed in or not
 *   (REF-1).
 * - gateway_outcome_days: the operator's tally of how gateway calls ended
 *   counts refusals too (401, 1309 …), and is flushed every few seconds
 *   (lib/ops/outcomes.ts), so it may land during any later request.
 * Job tables live in the pgboss schema, outside public, so the worker's own
 * bookkeeping never shows here; what it does to business tables is waited
 * out by `settled` below.
 */
export const VOLATILE_TABLES = new Set([
  "sign_in_attempts",
  "mail_send_hits",
  "referral_visits",
  "gateway_outcome_days",
]);

/** Row count and content checksum per table: equal fingerprints mean no row was added, removed or changed. */
export type Fingerprint = Map<string, string>;

export async function fingerprint(client: pg.Client): Promise<Fingerprint> {
  const { rows: tables } = await client.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const judged = tables.map((t) => t.name).filter((t) => !VOLATILE_TABLES.has(t));
  // One statement for every table: ordering each table's rows by their text makes the checksum independent of physical order.
  const sql = judged
    .map(
      (t) =>
        `SELECT '${t}' AS name, count(*)::text || ':' || coalesce(md5(string_agg(x.r, '' ORDER BY x.r)), '-') AS sum FROM (SELECT t::text AS r FROM public."${t}" t) x`,
    )
    .join(" UNION ALL ");
  const { rows } = await client.query<{ name: string; sum: string }>(sql);
  return new Map(rows.map((r) => [r.name, r.sum]));
}

/** The tables whose rows differ between two fingerprints. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

/**
 * A fingerprint taken once the database has been still for `quietMs`: the
 * job worker (renewals every second in e2e) may still be finishing what the
 * journeys before the sweep left due. Gives up after `maxMs` and returns the
 * latest, so a busy worker shows up as a named table in the failure.
 */
export async function settled(client: pg.Client, quietMs = 1500, maxMs = 20_000): Promise<Fingerprint> {
  const deadline = Date.now() + maxMs;
  let last = await fingerprint(client);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, quietMs));
    const next = await fingerprint(client);
    if (changedTables(last, next).length === 0) return next;
    last = next;
  }
  return last;
}
